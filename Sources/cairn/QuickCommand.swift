import CairnCore
import CairnKit

/// The commands scripts run in loops and people run to look things up — `cairn latest EXP`, `cairn path
/// EXP [RUN]`, `cairn run ls …` and `cairn compare RUN…` — answered without ArgumentParser: building its
/// command tree and reading options by reflection costs a static binary about 8 ms, more than a lookup
/// itself. Only plain spellings are taken here (``QuickWords``); anything else (help, `--version`, an
/// unknown or repeated option, `--`, a value that does not read) goes through ArgumentParser as before,
/// so what a command does and says is the same either way: both paths call the same static `run` of the
/// command.
enum QuickCommand {
    /// Runs the command that `arguments` (without the program name) name, if it is one of the quick ones in
    /// a plain spelling; false when ArgumentParser must parse them.
    /// - Throws: what the command throws.
    static func run(_ arguments: ArraySlice<String>) throws(CairnError) -> Bool {
        switch arguments.first {
        case "latest", "path": return try lookup(arguments)
        case "run" where arguments.dropFirst().first == "ls": return try runLs(arguments.dropFirst(2))
        case "compare": return try compare(arguments.dropFirst())
        default: return false
        }
    }

    private static let storeAndJSON = (options: ["--store": "store"], flags: ["--json": "json"])

    private static func lookup(_ arguments: ArraySlice<String>) throws(CairnError) -> Bool {
        guard let command = arguments.first,
              let words = QuickWords(arguments.dropFirst(), options: storeAndJSON.options, flags: storeAndJSON.flags) else { return false }
        let store = words.value("store"), json = words.flags.contains("json")
        switch (command, words.positional.count) {
        case ("latest", 1):
            try Cairn.Latest.run(experiment: words.positional[0], store: store, json: json)
        case ("path", 1), ("path", 2):
            try Cairn.PathCommand.run(target: words.positional[0], run: words.positional.dropFirst().first.map(RunReference.text),
                                      store: store, json: json)
        default:
            return false
        }
        return true
    }

    private static func runLs(_ arguments: ArraySlice<String>) throws(CairnError) -> Bool {
        let options = ["--store": "store", "-e": "experiment", "--experiment": "experiment", "--filter": "filter",
                       "--order-by": "order-by", "--status": "status", "--limit": "limit", "--columns": "columns"]
        guard let words = QuickWords(arguments, options: options, repeatable: ["order-by"], flags: ["--json": "json", "--csv": "csv"]),
              words.positional.isEmpty else { return false }
        let json = words.flags.contains("json"), csv = words.flags.contains("csv")
        var search = RunSearch(experiment: words.value("experiment"), filter: words.value("filter"), orderBy: words.values["order-by"] ?? [],
                               columns: words.value("columns"))
        if let text = words.value("status") {
            guard let status = RunStatus(rawValue: text) else { return false }
            search.status = status
        }
        if let text = words.value("limit") {
            guard let limit = Int(text), limit >= 1 else { return false }
            search.limit = limit
        }
        guard !(json && csv) else { return false }
        let store = words.value("store"), wanted = search
        try AsyncBridge.wait { () async throws(CairnError) in try await Cairn.RunGroup.RunLs.run(wanted, store: store, csv: csv, json: json) }
        return true
    }

    private static func compare(_ arguments: ArraySlice<String>) throws(CairnError) -> Bool {
        guard let words = QuickWords(arguments, options: storeAndJSON.options, flags: storeAndJSON.flags),
              !words.positional.isEmpty else { return false }
        let references = words.positional.map(RunReference.text), store = words.value("store"), json = words.flags.contains("json")
        try AsyncBridge.wait { () async throws(CairnError) in try await Cairn.Compare.run(references, store: store, json: json) }
        return true
    }
}
