import Glibc
import CairnCore
import CairnFormats

extension Store {
    /// Averages some of a run's checkpoints (``StateDictAverager``) into one file, and records it in
    /// the run's `artifacts.jsonl` with its sources (``AverageRecord``).
    ///
    /// The checkpoints are read through their mappings without the run's checkpoint lock: a checkpoint
    /// pruned meanwhile stays readable until the average is done (its file is only unlinked).
    /// - Parameters:
    ///   - run: the run.
    ///   - choice: which kept checkpoints.
    ///   - output: the file to write (absolute, or relative to the current folder); nil for the place
    ///     the run's layout gives its `average` role (`checkpoints/average.safetensors` in the default
    ///     layout, with the checkpoints' extension: `.safetensors`, else `.pt`).
    ///   - durable: whether to wait for the file to reach the disk before it appears (the default).
    ///   - progress: input bytes read so far and in all, called from this thread.
    /// - Returns: what was written.
    /// - Throws: `CairnError`: `.notFound` for a checkpoint that is not there or a missing output folder;
    ///   `.invalidValue` for a bad choice, an output that is a folder or a layout without an `average`
    ///   role; `.conflict` for checkpoints whose tensors differ; `.unsupportedFormat` for files Cairn
    ///   cannot read or write; I/O errors. Nothing is written then.
    public func averageCheckpoints(of run: Run, choosing choice: CheckpointChoice, output: String? = nil, durable: Bool = true,
                                   progress: (Int64, Int64) -> Void = { _, _ in }) throws(CairnError) -> CairnAPI.CheckpointAverage {
        try checkWritable()
        let view = try RunCheckpoints.read(store: self, run: run)
        let chosen = try Self.choose(choice, in: view)
        let inputs = try chosen.map { (entry) throws(CairnError) in try StateDictFile.open(try Self.weightsFile(of: entry, in: view)) }
        let target = try averageTarget(of: run, output: output, torch: inputs.contains { $0.format == .torch })
        let format = try StateDictOutput.format(of: target.path)
        _ = try StateDictAverager.plan(inputs)   // refuse mismatched checkpoints before making any folder
        if output == nil { try FileSystem.makeDirectories(Paths.parent(target.path)) }
        let relative = Self.relative(target.path, to: run.absoluteFolder)
        let metadata = ["format": "pt", "cairn_average_of": chosen.map(\.path).joined(separator: ",")]
        let result = try StateDictAverager.average(inputs, to: target.path, metadata: format == .safetensors ? metadata : [:],
                                                   mode: fileModes.file, durable: durable, progress: progress)
        let record = AverageRecord(file: relative ?? target.path, role: target.isRole ? LayoutRole.average.rawValue : nil,
                                   bytes: result.bytes, sha256: result.sha256,
                                   sources: chosen.map { .init(seq: $0.seq, path: $0.path, epoch: $0.epoch, step: $0.step, sha256: $0.sha256) },
                                   time: clock.now())
        do throws(CairnError) {
            try appendArtifactLine(record, of: run)
        } catch {
            unlink(target.path)   // unrecorded: the store stays as it was
            throw error
        }
        index.mark(run.id)
        return CairnAPI.CheckpointAverage(run: run.id, path: target.path, relativePath: relative, role: record.role, format: format.rawValue,
                                          bytes: result.bytes, sha256: result.sha256, tensors: result.tensorCount, copied: result.copied,
                                          inputBytes: result.inputBytes, sources: chosen.map(view.checkpoint))
    }

    /// The kept checkpoints a choice names, oldest first (by sequence number).
    static func choose(_ choice: CheckpointChoice, in view: CheckpointView) throws(CairnError) -> [CheckpointEntry] {
        let present = view.kept.filter { !view.isMissing($0) }
        guard !present.isEmpty else {
            throw CairnError(.notFound, "the run \(view.run) has no checkpoint to average", hint: "save some with 'cairn ckpt save'")
        }
        var chosen: [CheckpointEntry]
        switch choice {
        case .epochs(let epochs):
            chosen = []
            for epoch in epochs {
                guard let entry = present.last(where: { $0.epoch == epoch }) else {
                    let known = Array(Set(present.compactMap(\.epoch))).sorted().map(String.init).joined(separator: ", ")
                    throw CairnError(.notFound, "the run \(view.run) has no kept checkpoint at epoch \(epoch)",
                                     hint: known.isEmpty ? "'cairn ckpt ls' lists its checkpoints" : "its checkpoints are at epochs \(known)")
                }
                if !chosen.contains(where: { $0.seq == entry.seq }) { chosen.append(entry) }
            }
        case .last(let count):
            try Self.checkCount(count, available: present.count, run: view.run)
            chosen = Array(present.suffix(count))
        case .top(let count, let metric, let mode):
            let newest = present.last
            guard let monitor = metric ?? newest.flatMap({ entry -> String? in
                if case .string(let name)? = entry.policy?["monitor"] { return name }
                return nil
            }) else {
                throw CairnError(.invalidValue, "run \(view.run): --top needs a score, and the run's checkpoint policy monitors no metric",
                                 hint: "name the metric with --monitor NAME (and --mode min|max), or choose with --last or --epochs")
            }
            var order = mode ?? .min
            if mode == nil, metric == nil || metric == monitor, case .string(let text)? = newest?.policy?["mode"], let recorded = CheckpointPolicy.Mode(rawValue: text) {
                order = recorded
            }
            let scored = present.filter { $0.metrics[monitor].map { !$0.isNaN } ?? false }
            guard !scored.isEmpty else {
                throw CairnError(.notFound, "run \(view.run): no kept checkpoint has a score (a value of \(monitor))",
                                 hint: "choose with --last or --epochs, or name another metric with --monitor")
            }
            try Self.checkCount(count, available: scored.count, run: view.run, what: "checkpoints with a value of \(monitor)")
            let ranked = scored.sorted { a, b in
                let (x, y) = (a.metrics[monitor]!, b.metrics[monitor]!)
                return x != y ? (order == .min ? x < y : x > y) : a.seq > b.seq
            }
            chosen = Array(ranked.prefix(count))
        }
        return chosen.sorted { $0.seq < $1.seq }
    }

    private static func checkCount(_ count: Int, available: Int, run: RunID, what: String = "kept checkpoints") throws(CairnError) {
        guard count >= 1 else { throw CairnError(.invalidValue, "cannot average \(count) checkpoints", hint: "choose at least 1") }
        guard count <= available else {
            throw CairnError(.notFound, "the run \(run) has \(available) \(what), fewer than the \(count) asked for",
                             hint: "ask for at most \(available); 'cairn ckpt ls' lists them")
        }
    }

    /// The weights file of a checkpoint: the file itself, or a folder checkpoint's `model.safetensors`.
    static func weightsFile(of entry: CheckpointEntry, in view: CheckpointView) throws(CairnError) -> String {
        let path = view.absolutePath(entry)
        guard entry.kind == .folder else { return path }
        for name in ["model.safetensors", "pytorch_model.bin"] where FileSystem.exists(Paths.join(path, name)) {
            return Paths.join(path, name)
        }
        throw CairnError(.unsupportedFormat, "the checkpoint #\(entry.seq) '\(path)' is a folder without model.safetensors or pytorch_model.bin",
                         hint: "average file checkpoints")
    }

    /// Where an average goes: the output given (from the current folder), checked, or the run's
    /// layout's `average` place (its folders are made later, once the checkpoints are known to match).
    func averageTarget(of run: Run, output: String?, torch: Bool) throws(CairnError) -> (path: String, isRole: Bool) {
        let layout = settings.layout(named: run.record.layout) ?? self.layout
        let rolePath: String?
        if layout.template(.average) != nil {
            let fields = try RunCheckpoints(store: self, run: run).fields(epoch: nil, step: nil, fileExtension: torch ? ".pt" : ".safetensors")
            rolePath = Paths.join(run.absoluteFolder, try layout.render(.average, fields))
        } else {
            rolePath = nil
        }
        let path: String
        if let output {
            path = Paths.absolute(output)
            if FileSystem.isDirectory(path) {
                throw CairnError(.invalidValue, "the output '\(output)' is a folder", hint: "give a file name, e.g. average_model.safetensors")
            }
            let folder = Paths.parent(path)
            guard FileSystem.isDirectory(folder) else {
                throw CairnError(.notFound, "the output's folder '\(folder)' does not exist", hint: "create it first, or write elsewhere")
            }
        } else {
            guard let rolePath else {
                throw CairnError(.invalidValue, "the layout '\(layout.name)' of run \(run.id) names no place for an average (no `average` role)",
                                 hint: "give the output with -o FILE, or add an `average` template to the layout")
            }
            path = rolePath
            if FileSystem.isDirectory(path) {
                throw CairnError(.invalidValue, "the average's place '\(path)' is a folder", hint: "move it away, or give the output with -o FILE")
            }
        }
        _ = try StateDictOutput.format(of: path)
        return (path, path == rolePath)
    }

    /// `path` relative to `folder` when inside it, else nil.
    static func relative(_ path: String, to folder: String) -> String? {
        path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : nil
    }
}
