import CairnCore

/// Rules for tag and param keys and values (the same as MLflow's where they overlap).
public enum RunTags {
    /// The longest key, in characters (MLflow's limit).
    public static let maxKeyLength = 250

    /// Checks a tag or param key: non-empty, printable, at most 250 characters.
    /// - Parameters:
    ///   - key: the key.
    ///   - what: what the key is, for the error message (`tag key`, `param key`, `metric name`).
    /// - Throws: `CairnError` of kind `.invalidName` saying what is wrong.
    public static func validateKey(_ key: String, what: String = "tag key") throws(CairnError) {
        if key.isEmpty {
            throw CairnError(.invalidName, "the \(what) is empty", hint: "write KEY=VALUE")
        }
        if key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw CairnError(.invalidName, "the \(what) \(NameComponent.quoted(key)) contains a control character",
                             hint: "use printable characters only")
        }
        if key.count > maxKeyLength {
            throw CairnError(.invalidName, "the \(what) \(NameComponent.quoted(key)) is \(key.count) characters long",
                             hint: "the limit is \(maxKeyLength)")
        }
    }
}
