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
/// - `verify` records its outcome on the entry (and its sha256 on an entry recorded without one, as
///   `cairn adopt` records them); `pointer` sets the named pointer.
/// - Events about a sequence number never begun are ignored (the state never traps on a manifest).
public struct ManifestState: Sendable, Equatable {
    /// Every save, in order of sequence number.
    public private(set) var entries: [CheckpointEntry] = []
    /// The pointers (`best`, `last`, …) by name, as last set.
    public private(set) var pointers: [String: ManifestEvent.Pointer] = [:]
    /// The sequence number the next save should take: one more than the largest seen, from 1.
    public private(set) var nextSeq = 1

    /// An empty state.
    public init() {}

    /// The state after the events, in order.
    public init(events: [ManifestEvent]) {
        entries.reserveCapacity(events.count / 2)
        for event in events { apply(event) }
    }

    /// A state saved earlier (a snapshot of the fold), restored as it was.
    ///
    /// Returns nil unless the entries are in strictly increasing sequence order and `nextSeq` is greater
    /// than every entry's sequence number (and at least 1): a damaged snapshot never makes a state the
    /// fold could not.
    /// - Parameters:
    ///   - entries: every save, in order of sequence number.
    ///   - pointers: the pointers by name.
    ///   - nextSeq: the sequence number the next save should take.
    public init?(entries: [CheckpointEntry], pointers: [String: ManifestEvent.Pointer], nextSeq: Int) {
        guard nextSeq >= 1 else { return nil }
        let ordered = entries.withUnsafeBufferPointer { buffer in
            var previous = Int.min
            for index in buffer.indices {
                guard buffer[index].seq > previous else { return false }
                previous = buffer[index].seq
            }
            return previous < nextSeq
        }
        guard ordered else { return nil }
        self.entries = entries
        self.pointers = pointers
        self.nextSeq = nextSeq
    }

    /// The entry with this sequence number, if any.
    public subscript(seq seq: Int) -> CheckpointEntry? {
        position(of: seq).map { entries[$0] }
    }

    /// The index in ``entries`` of a sequence number: the newest entry is checked first (events are mostly
    /// about the save just begun), then the entries are searched, since they are in sequence order.
    private func position(of seq: Int) -> Int? {
        guard !entries.isEmpty else { return nil }
        if entries[entries.count - 1].seq == seq { return entries.count - 1 }
        let low = insertionPoint(of: seq)
        return low < entries.count && entries[low].seq == seq ? low : nil
    }

    /// The first index whose sequence number is not below `seq`.
    private func insertionPoint(of seq: Int) -> Int {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].seq < seq { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Folds one more event.
    public mutating func apply(_ event: ManifestEvent) {
        switch event {
        case .begin(let begin):
            let at = entries.isEmpty || entries[entries.count - 1].seq < begin.seq
                ? entries.count : insertionPoint(of: begin.seq)
            if at < entries.count, entries[at].seq == begin.seq { return }
            entries.insert(CheckpointEntry(
                seq: begin.seq, path: begin.path, kind: begin.kind, epoch: begin.epoch, step: begin.step,
                metrics: begin.metrics, bytes: begin.bytes, sha256: begin.sha256, files: begin.files,
                replaces: begin.replaces, time: begin.time), at: at)
            if begin.seq >= nextSeq { nextSeq = begin.seq + 1 }
        case .commit(let commit):
            guard let i = position(of: commit.seq), case .pending = entries[i].status else { return }
            entries[i].status = .kept
            entries[i].committedAt = commit.time
            entries[i].decision = commit.decision
            entries[i].policy = commit.policy
            if let old = entries[i].replaces, let j = position(of: old), case .kept = entries[j].status {
                entries[j].status = .replaced(bySeq: commit.seq)
            }
        case .abort(let abort):
            guard let i = position(of: abort.seq), case .pending = entries[i].status else { return }
            entries[i].status = .aborted(reason: abort.reason)
        case .prune(let prune):
            guard let i = position(of: prune.seq) else { return }
            switch entries[i].status {
            case .pending, .kept: entries[i].status = .pruned(reason: prune.reason)
            default: break
            }
        case .verify(let verify):
            guard let i = position(of: verify.seq) else { return }
            entries[i].verified = verify.ok
            // An adopted checkpoint is recorded without a hash: the first verify that reads it records it.
            if verify.ok, entries[i].sha256.isEmpty, !verify.sha256.isEmpty { entries[i].sha256 = verify.sha256 }
        case .pointer(let pointer):
            pointers[pointer.name] = pointer
        }
    }

    /// Equal when the entries, pointers and next sequence number are equal.
    public static func == (lhs: ManifestState, rhs: ManifestState) -> Bool {
        lhs.entries == rhs.entries && lhs.pointers == rhs.pointers && lhs.nextSeq == rhs.nextSeq
    }
}
