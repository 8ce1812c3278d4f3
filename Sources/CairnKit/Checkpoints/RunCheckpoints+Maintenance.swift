import CairnCore

/// One finding of `ckpt verify`.
public struct CheckpointProblem: Sendable, Equatable {
    public enum Kind: String, Sendable { case missing, mismatch }
    public var seq: Int
    public var path: String
    public var kind: Kind
    /// For a mismatch: the sha256 found on disk.
    public var found: String?
}

extension RunCheckpoints {
    /// Re-hashes every kept checkpoint and compares it with the manifest; records each result.
    /// Entries without a recorded sha256 (adopted trees) get theirs recorded now.
    /// - Returns: the problems found (empty when all is well) and how many checkpoints were checked.
    public func verify(progress: ((Int, Int) -> Void)? = nil) throws(CairnError) -> (checked: Int, problems: [CheckpointProblem]) {
        try withLock { () throws(CairnError) -> (checked: Int, problems: [CheckpointProblem]) in
            let state = try recover()
            let kept = state.entries.filter(\.isKept)
            var problems: [CheckpointProblem] = []
            for (index, entry) in kept.enumerated() {
                progress?(index, kept.count)
                let path = Paths.join(run.absoluteFolder, entry.path)
                guard FileSystem.exists(path) else {
                    problems.append(CheckpointProblem(seq: entry.seq, path: entry.path, kind: .missing, found: nil))
                    try manifest.append([.verify(.init(seq: entry.seq, sha256: "", ok: false, time: store.clock.now()))])
                    continue
                }
                let (sha, _) = try StagedCheckpoint.digest(of: path, isFolder: entry.kind == .folder)
                let ok = entry.sha256.isEmpty || sha == entry.sha256
                if !ok { problems.append(CheckpointProblem(seq: entry.seq, path: entry.path, kind: .mismatch, found: sha)) }
                try manifest.append([.verify(.init(seq: entry.seq, sha256: sha, ok: ok, time: store.clock.now()))])
            }
            progress?(kept.count, kept.count)
            return (kept.count, problems)
        }
    }

    /// Applies a policy to the checkpoints already saved: what it would prune, and, unless
    /// `dryRun`, prunes it (and moves the pointers).
    public func prune(policy call: CheckpointPolicy, dryRun: Bool) throws(CairnError) -> [(seq: Int, path: String, reason: String)] {
        let policy = try policy(for: call)
        return try withLock { () throws(CairnError) -> [(seq: Int, path: String, reason: String)] in
            var state = try recover()
            let plan = RetentionPlanner.plan(state, policy: policy)
            if dryRun {
                return plan.prune.compactMap { seq, reason in
                    state[seq: seq].flatMap { $0.isKept ? (seq, $0.path, reason) : nil }
                }
            }
            return try enforce(plan, on: &state, policy: policy)
        }
    }
}

extension CheckpointView {
    /// The newest kept checkpoint whose bytes are in place: what a resumed training should load.
    public var latestComplete: CheckpointEntry? {
        state.entries.reversed().first { entry in
            guard entry.isKept else { return false }
            let path = absolutePath(entry)
            if entry.kind == .folder { return FileSystem.isDirectory(path) }
            return FileSystem.fileSize(path) == entry.bytes
        }
    }

    /// The kept checkpoint at an epoch or step (the newest, if several).
    public func entry(epoch: Int? = nil, step: Int? = nil) -> CheckpointEntry? {
        kept.last { (epoch == nil || $0.epoch == epoch) && (step == nil || $0.step == step) }
    }
}
