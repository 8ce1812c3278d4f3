import Glibc
import CairnCore
import Logging

extension RunCheckpoints {
    /// Saves a checkpoint: stages and hashes its bytes beside their final name, records the save,
    /// renames it into place, moves the best and last pointers, then prunes what the policy no
    /// longer keeps. Waits for a background save in flight first (and throws its error, if any).
    ///
    /// The policy in force is the request's over the experiment's over the store's; a save that its
    /// `every_n_epochs` or `every_n_steps` filter skips writes nothing and says why.
    /// - Parameters:
    ///   - request: the checkpoint: its epoch, step, metrics, bytes and policy settings.
    ///   - progress: told the number of bytes staged so far, as they are copied or hashed.
    /// - Returns: what the save did: the entry saved (or why it was skipped), what it pruned, best and last.
    ///
    /// When the policy monitors no metric and the save gives exactly one, the store's logger warns once
    /// per run (the run's tag `cairn.warned.no_monitor` remembers it) that no checkpoint becomes best,
    /// and how to monitor it.
    /// - Throws: `CairnError` for a missing or unreadable source, neither an epoch nor a step, a negative
    ///   epoch or step, a monitored metric absent from `metrics`, non-finite metrics (unless allowed), a
    ///   layout that needs an epoch or a step the request lacks,
    ///   an invalid policy, a writer that fails, or a write that fails; in every case earlier
    ///   checkpoints are left as they were. A failed background save's error is thrown here too.
    @discardableResult
    public func save(_ request: CheckpointSaveRequest, progress: ((Int64) -> Void)? = nil) throws(CairnError) -> CheckpointSaveResult {
        try background.wait()
        return try saveNow(request, progress: progress)
    }

    func saveNow(_ request: CheckpointSaveRequest, progress: ((Int64) -> Void)?) throws(CairnError) -> CheckpointSaveResult {
        let policy = try policy(for: request.policy)
        try check(request, policy: policy)
        guard policy.shouldSave(epoch: request.epoch, step: request.step) else {
            let why = policy.everyNEpochs.map { "the policy saves every \($0) epochs" } ?? policy.everyNSteps.map { "the policy saves every \($0) steps" } ?? "the policy skips it"
            return CheckpointSaveResult(run: run.id, entry: nil, skippedBecause: why, pruned: [], best: nil, last: nil, policy: policy,
                                        view: nil)
        }
        // Name the checkpoint, then stage its bytes outside the lock (the slow part: copy and hash).
        let probeExtension: String
        switch request.source {
        case .files(let paths, _):
            probeExtension = paths.count == 1 && !FileSystem.isDirectory(paths[0]) ? StagedCheckpoint.fileExtension(of: paths[0]) : ""
        case .writer(let folder, let ext, _):
            probeExtension = folder ? "" : ext
        }
        let relative = try checkpointPath(epoch: request.epoch, step: request.step, fileExtension: probeExtension)
        let target = Paths.join(run.absoluteFolder, relative)
        try FileSystem.makeDirectories(Paths.parent(target))
        let staged = try StagedCheckpoint.stage(request.source, in: Paths.parent(target), name: Paths.lastComponent(target),
                                                modes: store.fileModes,
                                                readme: { files in self.readme(request, files: files) }, progress: progress)
        FaultInjection.point("after-stage")
        let result: CheckpointSaveResult
        do {
            result = try withLock { () throws(CairnError) -> CheckpointSaveResult in
                try commit(staged, request: request, relative: relative, policy: policy)
            }
        } catch {
            staged.discard()
            throw error
        }
        warnOfAnUnmonitoredMetric(request, policy: policy)
        return result
    }

    /// The run tag that remembers the warning of ``warnOfAnUnmonitoredMetric(_:policy:)`` was given.
    static let noMonitorWarningTag = "cairn.warned.no_monitor"

    /// Once per run: a policy that monitors nothing never makes a best, which a save giving exactly one
    /// metric most likely expects; say so, with the flag and the setting that fix it.
    private func warnOfAnUnmonitoredMetric(_ request: CheckpointSaveRequest, policy: CheckpointPolicy) {
        guard policy.monitor == nil, policy.saveStrategy != .last, request.metrics.count == 1,
              let metric = request.metrics.keys.first,
              (try? store.tags(of: run))?[Self.noMonitorWarningTag] == nil else { return }
        let lower = metric.lowercased()
        let mode = ["acc", "score", "f1", "auc", "precision", "recall", "map", "bleu", "iou"].contains { lower.contains($0) } ? "max" : "min"
        store.logger.warning("the checkpoint metric '\(metric)' ranks nothing: the policy in force monitors no metric, so no checkpoint of this run becomes best; pass --monitor \(metric) --mode \(mode) to 'cairn ckpt save', or set checkpoint.monitor in the experiment (cairn exp set \(run.record.experiment) checkpoint.monitor=\(metric) checkpoint.mode=\(mode))")
        // Best effort: if the tag cannot be written, the next save warns again.
        try? store.setTags([Self.noMonitorWarningTag: metric], on: run)
    }

    /// The checkpoint's path relative to the run folder, from the run's layout: named by the fields
    /// given (optional segments of the template without them are left out).
    func checkpointPath(epoch: Int?, step: Int?, fileExtension: String) throws(CairnError) -> String {
        guard let template = layout.template(.checkpoint) else {
            throw CairnError(.layout, "the layout '\(layout.name)' has no checkpoint template",
                             hint: "add a 'checkpoint' template to the layout in cairn.yaml")
        }
        for (name, value) in [("epoch", epoch), ("step", step)] where value == nil && template.requiredFieldNames.contains(name) {
            throw CairnError(.invalidValue, "the layout '\(layout.name)' names checkpoints with \(name == "epoch" ? "an epoch" : "a step") ('\(template.text)')",
                             hint: "give the \(name) (--\(name) N)")
        }
        return try layout.render(.checkpoint, try fields(epoch: epoch, step: step, fileExtension: fileExtension))
    }

    private func check(_ request: CheckpointSaveRequest, policy: CheckpointPolicy) throws(CairnError) {
        try request.validate()
        if let monitor = policy.monitor, policy.saveStrategy != .last, request.metrics[monitor] == nil {
            let given = request.metrics.keys.sorted().joined(separator: ", ")
            throw CairnError(.invalidValue, "the policy monitors '\(monitor)', which this save does not give"
                             + (given.isEmpty ? "" : " (it gives \(given))"),
                             hint: "pass --metric \(monitor)=VALUE")
        }
    }

    /// Under the lock: record, rename into place, point, prune.
    private func commit(_ staged: StagedCheckpoint, request: CheckpointSaveRequest, relative: String,
                        policy: CheckpointPolicy) throws(CairnError) -> CheckpointSaveResult {
        var state = try recover()
        let target = Paths.join(run.absoluteFolder, relative)
        let seq = state.nextSeq
        let replaces = state.entries.last(where: { $0.isKept && $0.path == relative })?.seq
        let now = store.clock.now()
        let begin = ManifestEvent.Begin(seq: seq, path: relative, kind: staged.isFolder ? .folder : .file, epoch: request.epoch,
                                        step: request.step, metrics: request.metrics, bytes: staged.bytes, sha256: staged.sha256,
                                        files: staged.files, replaces: replaces, time: now)
        try manifest.append([.begin(begin)])
        state.apply(.begin(begin))
        FaultInjection.point("after-begin")
        do {
            try placeStaged(staged.path, at: target)
        } catch {
            // The error is thrown; if the abort cannot be recorded either, the next open's recovery
            // resolves the begin left without a commit.
            try? manifest.append([.abort(.init(seq: seq, reason: "could not be put in place: \(error.message)", time: store.clock.now()))])
            throw error
        }
        FaultInjection.point("after-rename")
        var tentative = state
        tentative.apply(.commit(.init(seq: seq, policy: policy.mapping, decision: "", time: now)))
        let plan = try planExisting(tentative, policy: policy)
        let decision = plan.keep[seq].map { "kept: \($0)" } ?? plan.prune[seq].map { "pruned: \($0)" } ?? "kept"
        let commit = ManifestEvent.Commit(seq: seq, policy: policy.mapping, decision: decision, time: store.clock.now())
        try manifest.append([.commit(commit)])
        store.index.mark(run.id)
        state.apply(.commit(commit))
        FaultInjection.point("after-commit")
        for source in staged.sourcesToRemove { TreeCopy.remove(source) }
        let pruned = try enforce(plan, on: &state, policy: policy)
        return CheckpointSaveResult(run: run.id, entry: state[seq: seq], skippedBecause: nil, pruned: pruned,
                                    best: plan.best.flatMap { state[seq: $0] }, last: plan.last.flatMap { state[seq: $0] },
                                    policy: policy, view: view(of: state, tornTail: false))
    }

    /// Renames a staged checkpoint over its final name. A folder in the way is swapped with the
    /// staged one atomically where the system can (else moved aside first), then removed.
    func placeStaged(_ staged: String, at target: String) throws(CairnError) {
        var info = stat()
        if lstat(target, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR, PointerWriter.exchange(staged, target) {
            TreeCopy.remove(staged)
        } else if lstat(target, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            let aside = staged + "-old"
            if rename(target, aside) != 0 { throw SystemError.make("replace", path: target) }
            if rename(staged, target) != 0 {
                let code = errno
                _ = rename(aside, target)
                throw SystemError.make("replace", path: target, errno: code)
            }
            TreeCopy.remove(aside)
        } else if rename(staged, target) != 0 {
            throw SystemError.make("put in place", path: target)
        }
        FileSystem.syncDirectory(Paths.parent(target))
    }

    /// Moves the pointers to the plan's best and last, then prunes (recording each prune before
    /// deleting the file). Returns what was pruned.
    func enforce(_ plan: RetentionPlan, on state: inout ManifestState,
                 policy: CheckpointPolicy) throws(CairnError) -> [CairnAPI.PrunedCheckpoint] {
        try updatePointers(plan, state: &state, policy: policy)
        var pruned: [CairnAPI.PrunedCheckpoint] = []
        for (seq, reason) in plan.prune {
            guard let entry = state[seq: seq], entry.isKept else { continue }
            let event = ManifestEvent.prune(.init(seq: seq, reason: reason, time: store.clock.now()))
            try manifest.append([event])
            state.apply(event)
            FaultInjection.point("after-prune-record")
            TreeCopy.remove(Paths.join(run.absoluteFolder, entry.path))
            pruned.append(CairnAPI.PrunedCheckpoint(seq: seq, relativePath: entry.path, reason: reason, runFolder: run.absoluteFolder))
        }
        if !pruned.isEmpty {
            for folder in Set(pruned.map { Paths.parent($0.path) }) { FileSystem.syncDirectory(folder) }
        }
        return pruned
    }

    /// Points `best`, `best_score` and `last` (those the layout names) at the plan's checkpoints.
    func updatePointers(_ plan: RetentionPlan, state: inout ManifestState, policy: CheckpointPolicy) throws(CairnError) {
        var wanted: [(name: String, role: LayoutRole, entry: CheckpointEntry, score: Double?)] = []
        if let last = plan.last.flatMap({ state[seq: $0] }), layout.template(.last) != nil {
            wanted.append(("last", .last, last, nil))
        }
        if let best = plan.best.flatMap({ state[seq: $0] }) {
            if layout.template(.best) != nil { wanted.append(("best", .best, best, nil)) }
            // Cairn's own layout names best-score checkpoints only for the trees migrated into it: its
            // saves keep `best` alone.
            if layout.template(.bestScore) != nil, layout.name != BuiltinLayouts.cairn.name,
               let monitor = policy.monitor, let score = best.metrics[monitor], score.isFinite {
                wanted.append(("best_score", .bestScore, best, score))
            }
        }
        for pointer in wanted {
            let ext = pointer.entry.kind == .folder ? "" : StagedCheckpoint.fileExtension(of: pointer.entry.path)
            let relative = try layout.render(pointer.role, try fields(epoch: pointer.entry.epoch, step: pointer.entry.step,
                                                                       fileExtension: ext, score: pointer.score))
            let path = Paths.join(run.absoluteFolder, relative)
            let target = Paths.join(run.absoluteFolder, pointer.entry.path)
            let current = state.pointers[pointer.name]
            if current?.seq == pointer.entry.seq, current?.path == relative, PointerWriter.resolve(path) != nil {
                continue
            }
            let mechanism = try PointerWriter.point(path, to: target, isFolder: pointer.entry.kind == .folder)
            FaultInjection.point("after-pointer-\(pointer.name)")
            let event = ManifestEvent.pointer(.init(name: pointer.name, seq: pointer.entry.seq, path: relative,
                                                    mechanism: mechanism.rawValue, time: store.clock.now()))
            try manifest.append([event])
            state.apply(event)
            if let old = current, old.path != relative { PointerWriter.remove(Paths.join(run.absoluteFolder, old.path)) }
        }
    }

    /// Where a save was taken: `epoch 3, step 300`, `epoch 3` or `step 300`.
    static func position(_ request: CheckpointSaveRequest) -> String {
        [request.epoch.map { "epoch \($0)" }, request.step.map { "step \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }

    /// The README.md Cairn writes into a folder checkpoint (unless the folder brings its own).
    func readme(_ request: CheckpointSaveRequest, files: [String]) -> String {
        var lines = ["# Checkpoint: " + Self.position(request), "",
                     "- run: \(run.id) (\(run.record.experiment))", "- saved: \(store.clock.now().iso8601)"]
        if !request.metrics.isEmpty {
            lines.append("- metrics: " + request.metrics.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        }
        lines += ["", "## Files", ""] + files.map { "- `\($0)`" }
        lines += ["", "Written by Cairn; the run's checkpoints.jsonl records this checkpoint's sha256."]
        return lines.joined(separator: "\n") + "\n"
    }
}
