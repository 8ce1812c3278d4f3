/// The words after a command, when every one of them is in a plain spelling ``QuickCommand`` takes:
/// positional arguments, options with a value (`--name VALUE`, `--name=VALUE`, `-n VALUE`) and flags.
/// Anything else (`--`, help, an unknown option, a missing value or one starting with `-`, an option or
/// flag given twice where it may not be) makes it nil, and ArgumentParser parses the words instead.
struct QuickWords {
    private(set) var positional: [String] = []
    private(set) var values: [String: [String]] = [:]
    private(set) var flags: Set<String> = []

    /// - Parameters:
    ///   - words: the words after the command.
    ///   - options: the options taking a value, by each spelling (`-e`, `--experiment`) to a name.
    ///   - repeatable: the names of options that may be given more than once.
    ///   - flags: the flags, by spelling to a name.
    init?(_ words: ArraySlice<String>, options: [String: String], repeatable: Set<String> = [], flags flagNames: [String: String]) {
        var rest = words
        while let word = rest.popFirst() {
            if let flag = flagNames[word] {
                guard flags.insert(flag).inserted else { return nil }
            } else if let option = options[word] {
                guard let value = rest.popFirst(), add(value, to: option, repeatable: repeatable) else { return nil }
            } else if word.hasPrefix("--"), let equals = word.firstIndex(of: "="), let option = options[String(word[..<equals])] {
                let value = String(word[word.index(after: equals)...])
                guard !value.isEmpty, add(value, to: option, repeatable: repeatable) else { return nil }
            } else if !word.hasPrefix("-") {
                positional.append(word)
            } else {
                return nil
            }
        }
    }

    private mutating func add(_ value: String, to option: String, repeatable: Set<String>) -> Bool {
        guard !value.hasPrefix("-"), values[option] == nil || repeatable.contains(option) else { return false }
        values[option, default: []].append(value)
        return true
    }

    /// The value of an option given at most once.
    func value(_ option: String) -> String? { values[option]?.first }
}
