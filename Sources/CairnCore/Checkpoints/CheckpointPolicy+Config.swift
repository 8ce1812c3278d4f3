extension CheckpointPolicy {
    /// The keys of a policy's YAML form, in the order ``mapping`` writes them.
    public static let knownKeys = [
        "save_strategy", "monitor", "mode", "top_k", "keep_last", "every_n_epochs", "every_n_steps",
        "keep_epochs", "keep_period", "keep_step_period",
    ]

    /// Reads a policy from its YAML form (a `checkpoint:` mapping in `cairn.yaml` or an experiment).
    ///
    /// A null value leaves the field unset. `keep_epochs` takes a list of integers, a single integer, or
    /// a string of comma-separated integers (`10,15`). The fields are checked one by one here; call
    /// ``validate()`` on the resolved policy to check them together.
    /// - Parameters:
    ///   - mapping: the keys and values.
    ///   - source: where the mapping comes from (a file name, `cairn exp set`), used in errors.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidConfig`` naming the source and key for an
    ///   unknown key (listing the known ones), a value of the wrong type, an unknown strategy or mode, or a
    ///   count that is not positive.
    public init(mapping: ConfigMapping, source: String) throws(CairnError) {
        self.init()
        for (key, value) in mapping.entries {
            if value == .null { continue }
            switch key {
            case "save_strategy":
                saveStrategy = try Self.choice(value, key: key, source: source)
            case "monitor":
                guard case .string(let name) = value, !name.isEmpty else {
                    throw Self.wrongType(value, key: key, expected: "a metric name", source: source)
                }
                monitor = name
            case "mode":
                mode = try Self.choice(value, key: key, source: source)
            case "top_k": topK = try Self.count(value, key: key, source: source)
            case "keep_last": keepLast = try Self.count(value, key: key, source: source)
            case "every_n_epochs": everyNEpochs = try Self.count(value, key: key, source: source)
            case "every_n_steps": everyNSteps = try Self.count(value, key: key, source: source)
            case "keep_period": keepPeriod = try Self.count(value, key: key, source: source)
            case "keep_step_period": keepStepPeriod = try Self.count(value, key: key, source: source)
            case "keep_epochs": keepEpochs = try Self.epochList(value, key: key, source: source)
            default:
                throw CairnError(.invalidConfig, "\(source): unknown checkpoint policy key '\(key)'",
                                 hint: "the known keys are " + Self.knownKeys.joined(separator: ", "))
            }
        }
    }

    /// Reads a policy from `key=value` strings (`top_k=3`, `monitor=val_loss`, `keep_epochs=[10, 15]`), as
    /// given to `cairn exp set`. Values are typed as `--set` values are (``ConfigOverride``).
    /// - Parameter assignments: the strings; a later key replaces an earlier one.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidConfig`` for a string without `=`, or any
    ///   error of ``init(mapping:source:)``.
    public init(assignments: [String]) throws(CairnError) {
        var mapping = ConfigMapping()
        for text in assignments {
            let assignment = try ConfigOverride(parsing: text)
            mapping.set(assignment.key, assignment.value)
        }
        try self.init(mapping: mapping, source: "checkpoint policy")
    }

    /// The fields that are set, as a YAML-ready mapping in the order of ``knownKeys``: the policy in force
    /// as recorded with each checkpoint decision.
    public var mapping: ConfigMapping {
        var out = ConfigMapping()
        if let saveStrategy { out.set("save_strategy", .string(saveStrategy.rawValue)) }
        if let monitor { out.set("monitor", .string(monitor)) }
        if let mode { out.set("mode", .string(mode.rawValue)) }
        if let topK { out.set("top_k", .int(Int64(topK))) }
        if let keepLast { out.set("keep_last", .int(Int64(keepLast))) }
        if let everyNEpochs { out.set("every_n_epochs", .int(Int64(everyNEpochs))) }
        if let everyNSteps { out.set("every_n_steps", .int(Int64(everyNSteps))) }
        if let keepEpochs { out.set("keep_epochs", .list(keepEpochs.map { .int(Int64($0)) })) }
        if let keepPeriod { out.set("keep_period", .int(Int64(keepPeriod))) }
        if let keepStepPeriod { out.set("keep_step_period", .int(Int64(keepStepPeriod))) }
        return out
    }

    private static func wrongType(_ value: ConfigValue, key: String, expected: String,
                                  source: String) -> CairnError {
        CairnError(.invalidConfig, "\(source): checkpoint policy key '\(key)' must be \(expected), not the \(value.typeName) \(value)",
                   hint: "fix '\(key)' in \(source)")
    }

    private static func choice<Choice: RawRepresentable & CaseIterable>(
        _ value: ConfigValue, key: String, source: String
    ) throws(CairnError) -> Choice where Choice.RawValue == String {
        let names = Choice.allCases.map(\.rawValue)
        let expected = "one of " + names.joined(separator: ", ")
        guard case .string(let text) = value else {
            throw wrongType(value, key: key, expected: expected, source: source)
        }
        guard let choice = Choice(rawValue: text) else {
            throw CairnError(.invalidConfig, "\(source): checkpoint policy key '\(key)' must be \(expected), not '\(text)'",
                             hint: "fix '\(key)' in \(source)")
        }
        return choice
    }

    private static func count(_ value: ConfigValue, key: String, source: String) throws(CairnError) -> Int {
        guard case .int(let number) = value else {
            throw wrongType(value, key: key, expected: "a positive integer", source: source)
        }
        guard number > 0, number <= Int64(Int32.max) else {
            throw CairnError(.invalidConfig, "\(source): checkpoint policy key '\(key)' must be a positive integer, not \(number)",
                             hint: "set '\(key)' to 1 or more, or remove it")
        }
        return Int(number)
    }

    private static func epochList(_ value: ConfigValue, key: String, source: String) throws(CairnError) -> [Int] {
        let expected = "a list of epochs (integers from 0)"
        var items: [ConfigValue]
        switch value {
        case .int: items = [value]
        case .list(let list): items = list
        case .string(let text):
            items = []
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                let trimmed = part.filter { $0 != " " && $0 != "\t" }
                guard let number = Int64(trimmed) else {
                    throw wrongType(value, key: key, expected: expected, source: source)
                }
                items.append(.int(number))
            }
        default: throw wrongType(value, key: key, expected: expected, source: source)
        }
        var epochs: [Int] = []
        for item in items {
            guard case .int(let number) = item, number >= 0, number <= Int64(Int32.max) else {
                throw wrongType(value, key: key, expected: expected, source: source)
            }
            epochs.append(Int(number))
        }
        return epochs
    }
}
