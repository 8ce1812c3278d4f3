/// A run's checkpoints as its manifest describes them: the events folded in order.
///
/// Folding rules:
/// - `begin` adds an entry, ``CheckpointEntry/Status/pending``; a second `begin` with a sequence number
///   already seen is ignored.
/// - `commit` makes a pending entry ``CheckpointEntry/Status/kept`` and records its decision and policy;
///   if the entry `replaces` an earlier one that is still kept, that one becomes
///   ``CheckpointEntry/Status/replaced(bySeq:)``.
/// - `abort` makes a pending entry ``CheckpointEntry/Status/aborted(reason:)``.
/// - `prune` makes a pending or kept entry ``CheckpointEntry/Status/pruned(reason:)`` (the first prune's
///   reason stays).
/// - `verify` records its outcome on the entry; `pointer` sets the named pointer.
/// - Events about a sequence number never begun are ignored (the state never traps on a manifest).
public struct ManifestState: Sendable, Equatable {
    /// Every save, in order of sequence number.
    public private(set) var entries: [CheckpointEntry] = []
    /// The pointers (`best`, `last`, …) by name, as last set.
    public private(set) var pointers: [String: ManifestEvent.Pointer] = [:]
    /// The sequence number the next save should take: one more than the largest seen, from 1.
    public private(set) var nextSeq = 1

    private var positions: [Int: Int] = [:]
    private var isSorted = true

    /// An empty state.
    public init() {}

    /// The state after the events, in order.
    public init(events: [ManifestEvent]) {
        entries.reserveCapacity(events.count / 2)
        positions.reserveCapacity(events.count / 2)
        for event in events { apply(event) }
    }

    /// The entry with this sequence number, if any.
    public subscript(seq seq: Int) -> CheckpointEntry? {
        positions[seq].map { entries[$0] }
    }

    /// Folds one more event.
    public mutating func apply(_ event: ManifestEvent) {
        switch event {
        case .begin(let begin):
            guard positions[begin.seq] == nil else { return }
            if let last = entries.last, last.seq > begin.seq { isSorted = false }
            positions[begin.seq] = entries.count
            entries.append(CheckpointEntry(
                seq: begin.seq, path: begin.path, kind: begin.kind, epoch: begin.epoch, step: begin.step,
                metrics: begin.metrics, bytes: begin.bytes, sha256: begin.sha256, files: begin.files,
                replaces: begin.replaces, time: begin.time))
            if begin.seq >= nextSeq { nextSeq = begin.seq + 1 }
            if !isSorted { restoreOrder() }
        case .commit(let commit):
            guard let i = positions[commit.seq], entries[i].status == .pending else { return }
            entries[i].status = .kept
            entries[i].committedAt = commit.time
            entries[i].decision = commit.decision
            entries[i].policy = commit.policy
            if let old = entries[i].replaces, let j = positions[old], entries[j].status == .kept {
                entries[j].status = .replaced(bySeq: commit.seq)
            }
        case .abort(let abort):
            guard let i = positions[abort.seq], entries[i].status == .pending else { return }
            entries[i].status = .aborted(reason: abort.reason)
        case .prune(let prune):
            guard let i = positions[prune.seq] else { return }
            switch entries[i].status {
            case .pending, .kept: entries[i].status = .pruned(reason: prune.reason)
            default: break
            }
        case .verify(let verify):
            guard let i = positions[verify.seq] else { return }
            entries[i].verified = verify.ok
        case .pointer(let pointer):
            pointers[pointer.name] = pointer
        }
    }

    /// Keeps ``entries`` in sequence order when a writer appended a smaller sequence number late.
    private mutating func restoreOrder() {
        entries.sort { $0.seq < $1.seq }
        positions.removeAll(keepingCapacity: true)
        for (i, entry) in entries.enumerated() { positions[entry.seq] = i }
        isSorted = true
    }

    /// Equal when the entries, pointers and next sequence number are equal.
    public static func == (lhs: ManifestState, rhs: ManifestState) -> Bool {
        lhs.entries == rhs.entries && lhs.pointers == rhs.pointers && lhs.nextSeq == rhs.nextSeq
    }
}
