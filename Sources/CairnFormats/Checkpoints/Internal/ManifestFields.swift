import CairnCore

/// The fields of one manifest line, as read (any order), before they make an event.
struct ManifestFields {
    var event: String?
    var seq: Int?
    var path: String?
    var kind: CheckpointEntry.Kind?
    var epoch: Int?
    var step: Int?
    var metrics: [String: Double] = [:]
    var bytes: Int64?
    var sha256: String?
    var files: [String]?
    var replaces: Int?
    var time: Timestamp?
    var policy: ConfigMapping?
    var decision: String?
    var reason: String?
    var ok: Bool?
    var name: String?
    var mechanism: String?

    mutating func read(_ key: ManifestKey, from parser: inout ManifestLineParser,
                       cache: inout ManifestReadCache) throws(ManifestLineError) {
        guard let field = key.field else { return try parser.skipValue() }
        if parser.matchWord("null") { return }
        switch field {
        case .event: event = try parser.string()
        case .seq: seq = try parser.int()
        case .path: path = try parser.string()
        case .kind:
            let text = try parser.string()
            guard let value = CheckpointEntry.Kind(rawValue: text) else {
                throw parser.fail("kind must be \"file\" or \"folder\", not \"\(text)\"")
            }
            kind = value
        case .epoch: epoch = try parser.int()
        case .step: step = try parser.int()
        case .metrics:
            var values: [String: Double] = [:]
            try parser.object { (parser: inout ManifestLineParser, key: ManifestKey) throws(ManifestLineError) in
                values[cache.metricName(key)] = try parser.metric()
            }
            metrics = values
        case .bytes: bytes = try parser.int64()
        case .sha256: sha256 = try parser.string()
        case .files:
            var list: [String] = []
            try parser.array { (parser: inout ManifestLineParser) throws(ManifestLineError) in
                list.append(try parser.string())
            }
            files = list
        case .replaces: replaces = try parser.int()
        case .time: time = try parser.timestamp()
        case .policy:
            // Consecutive commits usually record the same policy: read it once, reuse it while the bytes match.
            let start = parser.position
            try parser.skipValue()
            let raw = parser.slice(from: start)
            if let cached = cache.policy, cache.matches(raw) {
                policy = cached
                return
            }
            var again = parser.reparse(from: start)
            guard case .mapping(let mapping) = try again.configValue() else {
                throw parser.fail("policy must be an object")
            }
            cache.policy = mapping
            cache.policyBytes = Array(raw)
            policy = mapping
        case .decision: decision = try parser.string()
        case .reason: reason = try parser.string()
        case .ok: ok = try parser.bool()
        case .name: name = try parser.string()
        case .mechanism: mechanism = try parser.string()
        }
    }

    /// The event these fields make; nil for an unknown event name.
    consuming func event(_ parser: ManifestLineParser) throws(ManifestLineError) -> ManifestEvent? {
        guard let event else { throw parser.fail("no \"event\" field") }
        func need<T>(_ value: T?, _ key: String) throws(ManifestLineError) -> T {
            guard let value else { throw ManifestLineError(problem: "a \(event) event without \"\(key)\"") }
            return value
        }
        switch event {
        case "begin":
            return .begin(.init(seq: try need(seq, "seq"), path: try need(path, "path"), kind: kind ?? .file,
                                epoch: epoch, step: step, metrics: metrics,
                                bytes: try need(bytes, "bytes"), sha256: try need(sha256, "sha256"), files: files,
                                replaces: replaces, time: try need(time, "time")))
        case "commit":
            return .commit(.init(seq: try need(seq, "seq"), policy: policy, decision: decision ?? "",
                                 time: try need(time, "time")))
        case "abort":
            return .abort(.init(seq: try need(seq, "seq"), reason: reason ?? "", time: try need(time, "time")))
        case "prune":
            return .prune(.init(seq: try need(seq, "seq"), reason: reason ?? "", time: try need(time, "time")))
        case "verify":
            return .verify(.init(seq: try need(seq, "seq"), sha256: try need(sha256, "sha256"),
                                 ok: try need(ok, "ok"), time: try need(time, "time")))
        case "pointer":
            return .pointer(.init(name: try need(name, "name"), seq: try need(seq, "seq"),
                                  path: try need(path, "path"), mechanism: try need(mechanism, "mechanism"),
                                  time: try need(time, "time")))
        default:
            return nil
        }
    }
}
