import CairnCore
import CairnKit

/// `cairn latest EXP` and `cairn path EXP [RUN]`, the lookups scripts make in loops, answered without
/// ArgumentParser: building its command tree costs more than the lookup itself. Only the plain
/// spellings are taken here (the positional arguments, `--store DIR` or `--store=DIR`, `--json`, each
/// option at most once); anything else (help, `--version`, an unknown or repeated option, a wrong
/// number of arguments) goes through ArgumentParser as before, so what a command does and says is the
/// same either way: both paths call the same `run` of the command.
enum QuickCommand {
    /// Runs the command that `arguments` (without the program name) name, if it is one of the quick ones in
    /// a plain spelling; false when ArgumentParser must parse them.
    /// - Throws: what the command throws.
    static func run(_ arguments: ArraySlice<String>) throws(CairnError) -> Bool {
        guard let command = arguments.first, command == "latest" || command == "path",
              let words = Words(arguments.dropFirst()) else { return false }
        switch (command, words.positional.count) {
        case ("latest", 1):
            try Cairn.Latest.run(experiment: words.positional[0], store: words.store, json: words.json)
        case ("path", 1), ("path", 2):
            try Cairn.PathCommand.run(target: words.positional[0], run: words.positional.dropFirst().first.map(RunReference.text),
                                      store: words.store, json: words.json)
        default:
            return false
        }
        return true
    }

    /// The words after the command: nil when any of them is not a plain positional, `--json` or `--store`.
    private struct Words {
        var positional: [String] = []
        var store: String?
        var json = false
        private static let storeEquals = "--store="

        init?(_ words: ArraySlice<String>) {
            var rest = words[...]
            while let word = rest.popFirst() {
                if word == "--json", !json {
                    json = true
                } else if word == "--store", store == nil, let value = rest.popFirst(), !value.hasPrefix("-") {
                    store = value
                } else if word.hasPrefix(Self.storeEquals), store == nil, word.count > Self.storeEquals.count {
                    store = String(word.dropFirst(Self.storeEquals.count))
                } else if !word.hasPrefix("-") {
                    positional.append(word)
                } else {
                    return nil
                }
            }
        }
    }
}
