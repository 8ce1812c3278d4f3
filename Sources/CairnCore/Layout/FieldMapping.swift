/// How one layout's fields become another's when a tree moves between them: explicit renames
/// (`--map arch=model_type`: the source's `arch` gives the target's `model_type`) first, then a shared
/// vocabulary of names that mean the same thing in different conventions.
public struct FieldMapping: Sendable, Equatable {
    /// Groups of field names that mean the same thing; a target field missing from the source takes
    /// the value of the first name of its group that the source has.
    public static let vocabulary: [[String]] = [
        ["model_type", "arch", "architecture", "model"],
        ["epoch", "ep"],
        ["step", "global_step", "iteration", "iter"],
        ["score", "best_score", "metric"],
        ["run_id", "run_name", "version"],
        ["start", "run_started", "time", "timestamp"],
        ["experiment", "experiment_name"],
        ["split"],
    ]

    /// Source field → target field.
    public let renames: [String: String]

    public init(renames: [String: String] = [:]) { self.renames = renames }

    /// Parses `SOURCE=TARGET` pairs as given to `--map`.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidValue`` naming a malformed pair or a
    ///   source mapped twice.
    public init(pairs: [String]) throws(CairnError) {
        var renames: [String: String] = [:]
        for pair in pairs {
            let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, Self.isFieldName(parts[0]), Self.isFieldName(parts[1]) else {
                throw CairnError(.invalidValue, "\(NameComponent.quoted(pair)) is not a field mapping SOURCE=TARGET",
                                 hint: "write it like --map arch=model_type (field names: letters, digits, _)")
            }
            guard renames[String(parts[0])] == nil else {
                throw CairnError(.invalidValue, "the field '\(parts[0])' is mapped twice", hint: "give one --map per source field")
            }
            renames[String(parts[0])] = String(parts[1])
        }
        self.renames = renames
    }

    /// The fields a target template set sees: the source's fields under their own names, the explicit
    /// renames, then for each of `targetNames` still missing, a synonym from the vocabulary.
    public func apply(_ source: LayoutFields, targetNames: [String]) -> LayoutFields {
        var out = source
        for (from, to) in renames {
            if let value = source[from] { out[to] = value }
        }
        for name in targetNames where out[name] == nil {
            guard let group = Self.vocabulary.first(where: { $0.contains(name) }) else { continue }
            if let synonym = group.first(where: { source[$0] != nil }) { out[name] = source[synonym] }
        }
        return out
    }

    static func isFieldName(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
