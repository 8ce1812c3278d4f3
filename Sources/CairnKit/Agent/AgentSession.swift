import Glibc
import CairnCore
import CairnFormats
import Synchronization

/// One run served to its clients (the training script, each of its ranks): the agent protocol's
/// requests carried out through CairnKit, with the run's metrics buffered by one ``MetricLogger`` and its
/// checkpoints saved in the background by one ``RunCheckpoints``. Safe to use from several connections
/// at once.
public final class AgentSession: Sendable {
    public let store: Store
    public let run: Run
    /// Whether the session ends the run (`cairn agent`); under `cairn exec`, exec ends it.
    public let ownsRun: Bool
    let metrics: MetricLogger
    let checkpoints: RunCheckpoints
    private let state = Mutex(State())
    /// Checkpoint requests from several clients (ranks that all save) one at a time.
    private let checkpointTurn = Mutex(())

    private struct State {
        /// Handover folders made, and whether their checkpoint was saved (removed once its save is done).
        var handovers: [String: Bool] = [:]
        var handoverCount = 0
        /// Set once a client finished the run: the status it asked for.
        var finished: RunStatus?
    }

    /// A session for `run`.
    /// - Parameters:
    ///   - tensorBoard: also write the run's metrics to a live TensorBoard event file.
    /// - Throws: `CairnError` when the run's checkpoints cannot be opened or the event file enabled.
    public init(store: Store, run: Run, ownsRun: Bool, tensorBoard: Bool = true) throws(CairnError) {
        self.store = store
        self.run = run
        self.ownsRun = ownsRun
        var liveEvents = tensorBoard
        if liveEvents, (try? store.runFilePath(run, .events)) == nil { liveEvents = false }
        metrics = try MetricLogger(store: store, run: run, tensorBoard: liveEvents)
        checkpoints = try RunCheckpoints.open(store: store, run: run)
    }

    /// The status a client finished the run with, if one did.
    public var finishedStatus: RunStatus? { state.withLock { $0.finished } }

    /// Carries out one request; returns its answer's `result`, encoded.
    /// - Throws: `CairnError` for a request that fails: the answer then carries the error.
    func handle(_ op: String, _ request: ConfigValue, client: AgentClient) throws(CairnError) -> String {
        switch op {
        case "hello": return try CairnJSON.line(hello())
        case "log": try log(request); return "null"
        case "check": try check(request); return "null"
        case "params": try store.setParams(try Self.texts(request["params"], what: "params"), on: run); return "null"
        case "tags": try store.setTags(try Self.texts(request["tags"], what: "tags"), on: run); return "null"
        case "flush": try metrics.flush(); return "null"
        case "handover": return try CairnJSON.line(["path": try handover(request, client: client)])
        case "save":
            try checkpointTurn.withLock { _ throws(CairnError) in try save(request, client: client) }
            return "null"
        case "wait":
            try metrics.flush()
            return try checkpointTurn.withLock { _ throws(CairnError) -> String in
                try checkpoints.close()
                removeHandovers(savedOnly: true)
                return try CairnJSON.line(checkpoints.lastBackgroundResult?.answer)
            }
        case "best", "last":
            return try optional { () throws(CairnError) in try RunCheckpoints.read(store: store, run: run).checkpoint(.pointer(op)) }
        case "latest":
            if let name = request["experiment"]?.string {
                let experiment = try store.experiment(named: try ExperimentName(name))
                return try optional { () throws(CairnError) in try store.latestCheckpoint(of: experiment) }
            }
            return try optional { () throws(CairnError) in try store.latestCheckpoint(of: run) }
        case "info": return try CairnJSON.line(try store.details(of: run))
        case "finish": return try CairnJSON.line(try finish(request))
        default:
            throw CairnError(.invalidValue, "the Cairn agent does not know the request '\(op)'",
                             hint: "the client speaks a newer protocol than this cairn binary: update cairn")
        }
    }

    /// What a client learns when it connects: the protocol, the run, its config and folder.
    func hello() throws(CairnError) -> AgentHello {
        let details = try store.details(of: run)
        return AgentHello(protocolVersion: AgentProtocol.version, run: details, config: try configSnapshot(),
                          runDirectory: run.absoluteFolder)
    }

    /// The run's config snapshot (an empty mapping when it has none).
    private func configSnapshot() throws(CairnError) -> ConfigValue {
        guard let path = try? store.runFilePath(run, .config), FileSystem.exists(path) else { return .mapping(ConfigMapping()) }
        return try ConfigFile.parse(try FileSystem.readText(path), fileName: path)
    }

    /// `log`: entries `[values, step, split, time]`, each values an object of metric names and numbers.
    private func log(_ request: ConfigValue) throws(CairnError) {
        guard let entries = request["entries"]?.list else {
            throw CairnError(.invalidValue, "a 'log' request needs 'entries'", hint: "send [[{name: value}, step, split, time], ...]")
        }
        var bySplit: [String: [MetricPoint]] = [:]
        var order: [String] = []
        for entry in entries {
            guard let parts = entry.list, parts.count == 4, let values = parts[0].mappingValue?.entries, let step = parts[1].int else {
                throw CairnError(.invalidValue, "a 'log' entry is not [{name: value}, step, split, time]", hint: "see docs/FORMAT.md ('Agent protocol')")
            }
            let split = parts[2].string ?? "train"
            let time = parts[3].double
            for (key, member) in values {
                guard let value = member.double else {
                    throw CairnError(.invalidValue, "the metric '\(key)' is not a number", hint: "log numbers (int or float) only")
                }
                if bySplit[split] == nil { order.append(split) }
                bySplit[split, default: []].append(MetricPoint(key: key, value: value, step: step, time: time))
            }
        }
        for split in order { try metrics.log(bySplit[split]!, split: split) }
    }

    /// Logs points already decoded, by split (a `log_packed` request).
    func log(_ pointsBySplit: [(split: String, points: [MetricPoint])]) throws(CairnError) {
        for (split, points) in pointsBySplit { try metrics.log(points, split: split) }
    }

    /// `check`: whether metric names and a split are ones Cairn takes (a client asks once per new name).
    private func check(_ request: ConfigValue) throws(CairnError) {
        if let split = request["split"]?.string { try MetricLogger.validate(split: split) }
        for name in request["metrics"]?.list ?? [] {
            guard let key = name.string else { throw CairnError(.invalidValue, "a metric name is not a string") }
            try RunTags.validateKey(key, what: "metric name")
        }
    }

    /// A path on the run's file system for the client to write a checkpoint to, then hand over with
    /// `save`: `checkpoint<suffix>` in a temporary folder of the run's (removed once the session closes;
    /// a killed client's is recognised by its pid, as every Cairn temporary is).
    private func handover(_ request: ConfigValue, client: AgentClient) throws(CairnError) -> String {
        let suffix = request["suffix"]?.string ?? ".pt"
        guard suffix.isEmpty || (suffix.hasPrefix(".") && suffix.count <= 32 && StagedCheckpoint.fileExtension(of: "checkpoint" + suffix) == suffix) else {
            throw CairnError(.invalidValue, "the checkpoint suffix \(NameComponent.quoted(suffix)) is not a file extension",
                             hint: "give an extension such as '.pt' or '.safetensors'")
        }
        let folder = state.withLock { state -> String in
            state.handoverCount += 1
            var random = SystemRandomNumberGenerator()
            let name = AtomicFile.temporaryPrefix + "handover-\(client.pid)-\(state.handoverCount)x\(String(random.next() % 0xFFFF_FFFF, radix: 36))"
            let folder = Paths.join(run.absoluteFolder, name)
            state.handovers[folder] = false
            return folder
        }
        guard mkdir(folder, 0o755) == 0 else { throw SystemError.make("create a folder for a checkpoint", path: folder) }
        return Paths.join(folder, "checkpoint" + suffix)
    }

    /// `save`: a file or folder registered as a checkpoint in the background (moved, copied or linked).
    private func save(_ request: ConfigValue, client: AgentClient) throws(CairnError) {
        guard let path = request["path"]?.string else {
            throw CairnError(.invalidValue, "a 'save' request needs 'path'", hint: "give the file or folder to save")
        }
        guard client.mayWriteCheckpoints else {
            throw CairnError(.conflict, "rank \(client.rank) does not save checkpoints (only rank 0 does)",
                             hint: "save from rank 0, or pass all_ranks=True to save from this rank too")
        }
        let transfer = CheckpointSource.Transfer(rawValue: request["transfer"]?.string ?? "move") ?? .move
        var metrics: [String: Double] = [:]
        for (key, member) in request["metrics"]?.mappingValue?.entries ?? [] {
            guard let value = member.double else {
                throw CairnError(.invalidValue, "the metric '\(key)' is not a number", hint: "give numbers only")
            }
            metrics[key] = value
        }
        var policy = CheckpointPolicy()
        if let mapping = request["policy"]?.mappingValue {
            policy = try CheckpointPolicy(mapping: mapping, source: "the client's checkpoint policy")
        }
        let epoch = request["epoch"]?.int.map { Int($0) }, step = request["step"]?.int.map { Int($0) }
        let absolute = Paths.absolute(path)
        guard FileSystem.exists(absolute) else {
            throw CairnError(.notFound, "the checkpoint '\(absolute)' to save does not exist", hint: "write the file before handing it over")
        }
        let handover = Paths.parent(absolute)
        state.withLock { if $0.handovers[handover] != nil { $0.handovers[handover] = true } }
        try checkpoints.saveInBackground(CheckpointSaveRequest(epoch: epoch, step: step, metrics: metrics,
                                                               source: .files([absolute], transfer), policy: policy,
                                                               allowNonFinite: request["allow_non_finite"]?.bool ?? false))
    }

    /// `finish`: flushes and waits; a session that owns the run ends it with the status asked for.
    private func finish(_ request: ConfigValue) throws(CairnError) -> CairnAPI.RunDetails {
        let text = request["status"]?.string ?? "FINISHED"
        guard let status = RunStatus(rawValue: text), status != .running else {
            throw CairnError(.invalidValue, "a run cannot finish as '\(text)'", hint: "use FINISHED, FAILED or KILLED")
        }
        if let error = request["error"]?.string, !error.isEmpty { try store.setTags(["error": error], on: run) }
        state.withLock { $0.finished = status }
        _ = try close(status: status)
        return try store.details(of: try store.run(at: try store.resolveRun(run.id.value)))
    }

    /// Flushes the metrics, waits for the background saves, removes the handover folders, and
    /// (when the session owns the run) ends it with `status` unless it has ended. Safe to call again.
    /// - Returns: the first error met, after doing everything it could.
    @discardableResult
    public func close(status: RunStatus) throws(CairnError) -> Run? {
        var first: CairnError?
        do throws(CairnError) { try metrics.close() } catch { first = first ?? error }
        do throws(CairnError) { try checkpoints.close() } catch { first = first ?? error }
        removeHandovers(savedOnly: false)
        var ended: Run?
        if ownsRun {
            do throws(CairnError) {
                let current = try store.run(at: try store.resolveRun(run.id.value))
                if current.record.status == .running { ended = try store.endRun(run, status: status) }
            } catch { first = first ?? error }
        }
        if let first { throw first }
        return ended
    }

    /// Removes the handover folders whose checkpoint was saved (or all of them), once the background
    /// saves are done: their files have moved.
    private func removeHandovers(savedOnly: Bool) {
        let folders = state.withLock { state -> [String] in
            let chosen = state.handovers.filter { !savedOnly || $0.value }.map(\.key)
            for folder in chosen { state.handovers[folder] = nil }
            return chosen
        }
        for folder in folders { TreeCopy.remove(folder) }
    }

    private func optional(_ body: () throws(CairnError) -> CairnAPI.Checkpoint) throws(CairnError) -> String {
        do {
            return try CairnJSON.line(try body())
        } catch where error.kind == .notFound {
            return "null"
        }
    }

    /// Params or tags as texts: strings as they are, numbers in their shortest spelling, booleans
    /// `true`/`false`, lists and objects as JSON.
    static func texts(_ value: ConfigValue?, what: String) throws(CairnError) -> [String: String] {
        guard let members = value?.mappingValue?.entries else {
            throw CairnError(.invalidValue, "'\(what)' must be an object of names and values")
        }
        var out: [String: String] = [:]
        for (key, member) in members {
            switch member {
            case .string(let text): out[key] = text
            case .int(let number): out[key] = String(number)
            case .float(let number): out[key] = number.description
            case .bool(let flag): out[key] = flag ? "true" : "false"
            case .null: out[key] = "null"
            case .list, .mapping: out[key] = member.jsonText
            }
        }
        return out
    }
}
