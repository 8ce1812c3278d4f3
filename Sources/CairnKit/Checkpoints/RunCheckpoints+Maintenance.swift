import CairnCore

/// One finding of `ckpt verify`.
public struct CheckpointProblem: Sendable, Equatable {
    /// What is wrong.
    public enum Kind: String, Sendable {
        /// The checkpoint's file or folder is gone.
        case missing
        /// Its bytes no longer hash to the recorded sha256.
        case mismatch
        /// A pointer of an adopted tree (`checkpoint_best.pt`, `ckpt_latest.pth`) is a symbolic link
        /// that leads nowhere: the checkpoint it named is gone.
        case dangling
    }
    /// The checkpoint's sequence number; nil for a tree's dangling pointer, which the manifest lacks.
    public var seq: Int?
    /// Its path, relative to the run folder.
    public var path: String
    /// Whether the checkpoint is missing or does not match.
    public var kind: Kind
    /// For a mismatch: the sha256 found on disk.
    public var found: String?
}

extension RunCheckpoints {
    /// Re-hashes every kept checkpoint and compares it with the manifest; records each result.
    /// Entries without a recorded sha256 (adopted trees) get theirs recorded now; a checkpoint that is
    /// a symlink to nothing (an adopted tree's pointer file left dangling) is missing. Cairn's own
    /// pointers are put back where they belong first (see ``recover()``). Refused while a migration of
    /// the store is unfinished (its checkpoints are between their old and new places).
    /// - Parameter progress: told the number of checkpoints checked so far and the total.
    /// - Returns: how many checkpoints were checked, and the problems found (empty when all is well).
    /// - Throws: `CairnError` when the run's lock cannot be taken, the manifest cannot be read or
    ///   written, or a checkpoint cannot be read.
    public func verify(progress: ((Int, Int) -> Void)? = nil) throws(CairnError) -> (checked: Int, problems: [CheckpointProblem]) {
        if store.hasUnfinishedMigration {
            throw CairnError(.busy, "a migration of '\(store.root)' is unfinished: the checkpoints of run \(run.id) may be between their old and new places",
                             hint: "run 'cairn migrate --resume' to finish it or 'cairn migrate --rollback' to undo it, then verify")
        }
        return try withLock { () throws(CairnError) -> (checked: Int, problems: [CheckpointProblem]) in
            let state = try recover()
            let kept = state.entries.filter(\.isKept)
            var problems: [CheckpointProblem] = []
            var hashed: [Int: String] = [:]
            for (index, entry) in kept.enumerated() {
                progress?(index, kept.count)
                let path = Paths.join(run.absoluteFolder, entry.path)
                guard FileSystem.leadsSomewhere(path) else {
                    problems.append(CheckpointProblem(seq: entry.seq, path: entry.path, kind: .missing, found: nil))
                    try manifest.append([.verify(.init(seq: entry.seq, sha256: "", ok: false, time: store.clock.now()))])
                    continue
                }
                let (sha, _) = try StagedCheckpoint.digest(of: path, isFolder: entry.kind == .folder)
                hashed[entry.seq] = sha
                let ok = entry.sha256.isEmpty || sha == entry.sha256
                if !ok { problems.append(CheckpointProblem(seq: entry.seq, path: entry.path, kind: .mismatch, found: sha)) }
                try manifest.append([.verify(.init(seq: entry.seq, sha256: sha, ok: ok, time: store.clock.now()))])
            }
            progress?(kept.count, kept.count)
            if store.settings.adopted {
                problems += danglingTreePointers(known: Set(kept.map(\.path)))
                try mergeCopiedPointers(state, hashed: hashed)
            }
            return (kept.count, problems)
        }
    }

    /// An adopted tree's pointer file (`checkpoint_best.pt`, a file of its own, of no known epoch or
    /// step) that holds the same bytes as one of the run's epoch or step checkpoints is that checkpoint,
    /// found once the run's checkpoints are hashed (never at adoption, which hashes nothing): the pointer
    /// names the checkpoint (as a copy of it), and the file is no longer counted as a checkpoint of its
    /// own (recorded as pruned with a reason saying so; the file stays, as every file of the tree does).
    private func mergeCopiedPointers(_ state: ManifestState, hashed: [Int: String]) throws(CairnError) {
        var events: [ManifestEvent] = []
        let now = store.clock.now()
        for (_, pointer) in state.pointers.sorted(by: { $0.key < $1.key }) where pointer.mechanism == "adopted" {
            guard let own = state[seq: pointer.seq], own.isKept, own.epoch == nil, own.step == nil, own.path == pointer.path,
                  let sha = hashed[own.seq],
                  let same = state.entries.first(where: { $0.isKept && $0.seq != own.seq && $0.kind == own.kind
                                                          && ($0.epoch != nil || $0.step != nil) && hashed[$0.seq] == sha })
            else { continue }
            for (name, other) in state.pointers.sorted(by: { $0.key < $1.key }) where other.seq == own.seq {
                let mechanism = other.path == own.path ? PointerWriter.Mechanism.copy.rawValue : other.mechanism
                events.append(.pointer(.init(name: name, seq: same.seq, path: other.path, mechanism: mechanism, time: now)))
            }
            events.append(.prune(.init(seq: own.seq, reason: Self.copyPruneReasonPrefix + "#\(same.seq), which \(pointer.name) names",
                                       time: now)))
        }
        if !events.isEmpty { try manifest.append(events) }
    }

    /// The run folder's symbolic links that a pointer role of the layout names (`checkpoint_best.pt`,
    /// `ckpt_latest.pth`) and that lead nowhere: an adopted tree's pointer whose checkpoint was deleted,
    /// which adoption could not take for a checkpoint. Best effort: a folder that cannot be read has none.
    private func danglingTreePointers(known: Set<String>) -> [CheckpointProblem] {
        guard let listing = try? TreeWalker.walk(run.absoluteFolder) else { return [] }
        let roles: [LayoutRole] = [.best, .last, .bestScore, .average, .checkpoint]
        return listing.folderLinks.sorted().compactMap { path in
            guard !known.contains(path), roles.contains(where: { layout.match($0, path) != nil }),
                  !FileSystem.leadsSomewhere(Paths.join(run.absoluteFolder, path)) else { return nil }
            return CheckpointProblem(seq: nil, path: path, kind: .dangling, found: nil)
        }
    }

    /// Re-hashes every kept checkpoint (see ``verify(progress:)``) and answers as Cairn does
    /// (`ckpt verify --json`).
    /// - Parameter progress: told the number of checkpoints checked so far and the total.
    /// - Returns: the report, with absolute and relative paths of each problem.
    /// - Throws: what ``verify(progress:)`` throws.
    public func verifyAnswer(progress: ((Int, Int) -> Void)? = nil) throws(CairnError) -> CairnAPI.CheckpointVerify {
        let (checked, problems) = try verify(progress: progress)
        return CairnAPI.CheckpointVerify(run: run.id, checked: checked, problems: problems.map { problem in
            CairnAPI.CheckpointVerify.Problem(seq: problem.seq, path: Paths.join(run.absoluteFolder, problem.path), relativePath: problem.path,
                                              problem: problem.kind.rawValue, foundSHA256: problem.found)
        })
    }

    /// Applies a policy to the checkpoints already saved: what it would prune, and, unless
    /// `dryRun`, prunes it (and moves the pointers).
    /// - Parameters:
    ///   - call: the call's policy settings, over the experiment's and the store's.
    ///   - dryRun: list what would be pruned; change nothing.
    /// - Returns: the checkpoints pruned (or that would be), oldest first.
    /// - Throws: `CairnError` for an invalid policy (`.invalidConfig`), or when the run's lock cannot be
    ///   taken or the manifest cannot be read or written.
    public func prune(policy call: CheckpointPolicy, dryRun: Bool) throws(CairnError) -> [CairnAPI.PrunedCheckpoint] {
        let policy = try policy(for: call)
        return try withLock { () throws(CairnError) -> [CairnAPI.PrunedCheckpoint] in
            var state = try recover()
            let plan = try planExisting(state, policy: policy)  // a checkpoint deleted by hand takes no place
            if dryRun {
                return plan.prune.compactMap { seq, reason in
                    state[seq: seq].flatMap { entry in
                        entry.isKept ? CairnAPI.PrunedCheckpoint(seq: seq, relativePath: entry.path, reason: reason,
                                                                 runFolder: run.absoluteFolder) : nil
                    }
                }
            }
            return try enforce(plan, on: &state, policy: policy)
        }
    }
}

extension CheckpointView {
    /// The newest kept checkpoint whose bytes are in place: what a resumed training should load. The
    /// `last` pointer names the newest (in an adopted tree: its own last file, else the greatest step,
    /// then epoch, then modification time), so `ckpt latest` and `ckpt last` agree; when its bytes are
    /// not in place, the newest save that is.
    public var latestComplete: CheckpointEntry? {
        if let last = entry(pointer: "last"), isComplete(last) { return last }
        return state.entries.reversed().first { $0.isKept && isComplete($0) }
    }

    /// True when the entry's file has its recorded size, or its folder is there.
    private func isComplete(_ entry: CheckpointEntry) -> Bool {
        let path = absolutePath(entry)
        if entry.kind == .folder { return FileSystem.isDirectory(path) }
        return FileSystem.fileSize(path) == entry.bytes
    }

    /// The kept checkpoint at an epoch or step (the newest, if several).
    /// - Parameters:
    ///   - epoch: the epoch, or nil for any.
    ///   - step: the step, or nil for any.
    /// - Returns: the newest kept entry that matches both, or nil.
    public func entry(epoch: Int? = nil, step: Int? = nil) -> CheckpointEntry? {
        kept.last { (epoch == nil || $0.epoch == epoch) && (step == nil || $0.step == step) }
    }
}
