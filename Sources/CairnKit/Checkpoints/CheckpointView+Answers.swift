import CairnCore

extension CheckpointView {
    /// An entry as Cairn answers it: absolute path, status and reason, every pointer naming it.
    /// - Parameter entry: an entry of this view.
    /// - Returns: the entry as a ``CairnAPI/Checkpoint``.
    public func checkpoint(_ entry: CheckpointEntry) -> CairnAPI.Checkpoint {
        CairnAPI.Checkpoint(entry, in: self)
    }

    /// The run's checkpoints, oldest first: the kept ones, or with `includingPruned` every one that was
    /// committed or given up (pruned, aborted, replaced), but none still pending.
    /// - Parameter includingPruned: also list the checkpoints no longer kept (`ckpt ls --all`).
    /// - Returns: the checkpoints, oldest first.
    public func checkpoints(includingPruned: Bool = false) -> [CairnAPI.Checkpoint] {
        let entries = includingPruned ? state.entries.filter { $0.status != .pending } : kept
        return entries.map(checkpoint)
    }

    /// The checkpoint a user selected: what `best` or `last` names, or the newest kept one at an epoch
    /// or step.
    /// - Parameter selector: `best`, `last`, `epoch=N` or `step=N`, as parsed from the user's text.
    /// - Returns: the checkpoint selected.
    /// - Throws: `CairnError` of kind `.notFound` saying why there is none.
    public func checkpoint(_ selector: CheckpointSelector) throws(CairnError) -> CairnAPI.Checkpoint {
        switch selector {
        case .pointer(let name):
            if entry(pointer: name) == nil, let named = state.pointers[name].flatMap({ state[seq: $0.seq] }), isMissing(named) {
                throw CairnError(.notFound, "run \(run): the \(name) checkpoint, #\(named.seq) '\(absolutePath(named))', is gone, and no other checkpoint that exists can be \(name)",
                                 hint: "restore it from a backup, or save a new one with 'cairn ckpt save'; 'cairn ckpt ls' shows which are missing")
            }
            guard let entry = entry(pointer: name) else {
                let (why, hint) = name == "best" ? noBestReason : ("no checkpoint was saved yet", "save one with 'cairn ckpt save'")
                throw CairnError(.notFound, "run \(run): \(why)", hint: hint)
            }
            return checkpoint(entry)
        case .epoch(let epoch):
            guard let entry = entry(epoch: epoch) else { throw Self.noneAt("epoch", epoch, run: run) }
            return try existing(entry)
        case .step(let step):
            guard let entry = entry(step: step) else { throw Self.noneAt("step", step, run: run) }
            return try existing(entry)
        }
    }

    /// The answer for an entry a selector chose, unless its file is gone.
    private func existing(_ entry: CheckpointEntry) throws(CairnError) -> CairnAPI.Checkpoint {
        guard !isMissing(entry) else {
            throw CairnError(.notFound, "the checkpoint #\(entry.seq) of run \(run)\(entry.epoch.map { " at epoch \($0)" } ?? "") is gone: '\(absolutePath(entry))' no longer exists",
                             hint: "restore it from a backup; 'cairn ckpt ls' shows which checkpoints are missing")
        }
        return checkpoint(entry)
    }

    /// The newest checkpoint whose bytes are in place, as Cairn answers it (see ``latestComplete``).
    /// - Returns: the checkpoint a resumed training should load.
    /// - Throws: `CairnError` of kind `.notFound` when the run has none.
    public func latestCompleteCheckpoint() throws(CairnError) -> CairnAPI.Checkpoint {
        guard let entry = latestComplete else {
            throw CairnError(.notFound, "the run \(run) has no checkpoint yet", hint: "save one with 'cairn ckpt save'")
        }
        return checkpoint(entry)
    }

    private static func noneAt(_ what: String, _ number: Int, run: RunID) -> CairnError {
        CairnError(.notFound, "the run \(run) has no kept checkpoint at \(what) \(number)", hint: "'cairn ckpt ls' lists its checkpoints")
    }
}
