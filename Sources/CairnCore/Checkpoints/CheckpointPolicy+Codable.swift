/// JSON form of a policy (Cairn's JSON output): every key of the YAML form, `null` when not set.
extension CheckpointPolicy: Codable {
    enum CodingKeys: String, CodingKey {
        case monitor, mode
        case saveStrategy = "save_strategy"
        case topK = "top_k"
        case keepLast = "keep_last"
        case everyNEpochs = "every_n_epochs"
        case everyNSteps = "every_n_steps"
        case keepEpochs = "keep_epochs"
        case keepPeriod = "keep_period"
        case keepStepPeriod = "keep_step_period"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(saveStrategy: try Self.choice(c, .saveStrategy),
                  monitor: try c.decodeIfPresent(String.self, forKey: .monitor),
                  mode: try Self.choice(c, .mode),
                  topK: try c.decodeIfPresent(Int.self, forKey: .topK),
                  keepLast: try c.decodeIfPresent(Int.self, forKey: .keepLast),
                  everyNEpochs: try c.decodeIfPresent(Int.self, forKey: .everyNEpochs),
                  everyNSteps: try c.decodeIfPresent(Int.self, forKey: .everyNSteps),
                  keepEpochs: try c.decodeIfPresent([Int].self, forKey: .keepEpochs),
                  keepPeriod: try c.decodeIfPresent(Int.self, forKey: .keepPeriod),
                  keepStepPeriod: try c.decodeIfPresent(Int.self, forKey: .keepStepPeriod))
    }

    private static func choice<T: RawRepresentable<String>>(_ c: KeyedDecodingContainer<CodingKeys>,
                                                            _ key: CodingKeys) throws -> T? {
        guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let value = T(rawValue: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "unknown \(key.stringValue) '\(text)'")
        }
        return value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(saveStrategy?.rawValue, forKey: .saveStrategy)
        try c.encode(monitor, forKey: .monitor)
        try c.encode(mode?.rawValue, forKey: .mode)
        try c.encode(topK, forKey: .topK)
        try c.encode(keepLast, forKey: .keepLast)
        try c.encode(everyNEpochs, forKey: .everyNEpochs)
        try c.encode(everyNSteps, forKey: .everyNSteps)
        try c.encode(keepEpochs, forKey: .keepEpochs)
        try c.encode(keepPeriod, forKey: .keepPeriod)
        try c.encode(keepStepPeriod, forKey: .keepStepPeriod)
    }
}
