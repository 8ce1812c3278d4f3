import CairnCore
import CairnFormats

/// What Sacred's FileStorageObserver records of a run in its `run.json`: status, start and stop
/// times, host, command and config updates, git repositories, the experiment's name, the result and
/// the error of a failed run. Every field is optional: a run.json cut short by a kill gives what it holds.
struct SacredRunFile: Equatable {
    var status: RunStatus?
    var start: Timestamp?
    var stop: Timestamp?
    var host: String?
    /// The command as a person would run it: `exp.py main with lr=0.1`.
    var command: [String] = []
    /// The config updates (`with lr=0.1 …`), Cairn's overrides.
    var updates: [String] = []
    var git: GitState?
    /// `sacred.experiment`, `sacred.result`, `sacred.error`: what Cairn's record has no field for.
    var tags: [String: String] = [:]

    /// Sacred's statuses and Cairn's: a run Sacred still calls RUNNING (its process may have died
    /// without a word) stays RUNNING.
    static let statuses: [String: RunStatus] = ["COMPLETED": .finished, "FAILED": .failed, "INTERRUPTED": .killed,
                                                "TIMEOUT": .killed, "RUNNING": .running, "QUEUED": .scheduled]

    /// Reads `run.json` at `path`.
    /// - Throws: `CairnError` (`invalid-config` naming `file:line:column`) for a file that is not JSON.
    static func read(_ path: String) throws(CairnError) -> SacredRunFile {
        let value = try ConfigJSON.parse(try FileSystem.readText(path), fileName: path, allowingNonFinite: true)
        return SacredRunFile(value)
    }

    init() {}

    /// The fields of a parsed `run.json`.
    init(_ value: ConfigValue) {
        func text(_ path: String...) -> String? {
            if case .string(let s)? = value.value(at: path) { return s }
            return nil
        }
        status = text("status").flatMap { Self.statuses[$0] }
        start = text("start_time").flatMap(SacredTime.timestamp)
        stop = text("stop_time").flatMap(SacredTime.timestamp)
        host = text("host", "hostname")
        if case .list(let update)? = value.value(at: ["meta", "options", "UPDATE"]) {
            updates = update.compactMap { if case .string(let s) = $0 { s } else { nil } }
        }
        if let name = text("command") {
            command = (text("experiment", "mainfile").map { [$0] } ?? []) + [name] + (updates.isEmpty ? [] : ["with"] + updates)
        }
        if case .list(let repositories)? = value.value(at: ["experiment", "repositories"]), let first = repositories.first,
           case .string(let commit)? = first.value(at: ["commit"]) {
            var dirty = false
            if case .bool(let flag)? = first.value(at: ["dirty"]) { dirty = flag }
            git = GitState(commit: commit, branch: nil, dirty: dirty, diffFile: nil)
        }
        if let name = text("experiment", "name") { tags["sacred.experiment"] = name }
        if let result = value.value(at: ["result"]), result != .null { tags["sacred.result"] = result.description }
        if case .list(let trace)? = value.value(at: ["fail_trace"]), case .string(let last)? = trace.last {
            tags["sacred.error"] = String(last.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
        }
    }

    /// Puts what the file says into an adopted run's record and tags.
    func apply(to record: inout RunRecord, tags: inout [String: String]) {
        record.takeToolLife(status: status, start: start, end: stop)
        if let host { record.host = host }
        if !command.isEmpty { record.command = command }
        record.configOverrides = updates
        if let git { record.git = git }
        tags.merge(self.tags) { _, new in new }
    }
}
