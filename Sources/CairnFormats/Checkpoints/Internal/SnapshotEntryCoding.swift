import CairnCore

/// One ``CheckpointEntry`` in a manifest snapshot.
///
/// Fixed part: seq, epoch, bytes, time (8 bytes each), flags (2), status (1), kind (1); then the path in
/// place, the sha256 (``SnapshotWriter/sha256(_:)``), the metrics (the index of their set of names, then the value bits in that order), the optional
/// fields the flags announce, in flag order, then the status's reason or sequence number.
enum SnapshotEntryCoding {
    /// The fewest bytes an entry takes.
    static let minimumSize = 45

    private static let hasStep: UInt16 = 1 << 0
    private static let hasFiles: UInt16 = 1 << 1
    private static let hasReplaces: UInt16 = 1 << 2
    private static let hasCommittedAt: UInt16 = 1 << 3
    private static let hasDecision: UInt16 = 1 << 4
    private static let hasPolicy: UInt16 = 1 << 5
    private static let verifiedShift: UInt16 = 6  // two bits: 0 unknown, 1 false, 2 true
    /// The epoch is unknown (the fixed part's epoch is then 0).
    private static let noEpoch: UInt16 = 1 << 8
    private static let knownFlags: UInt16 = (1 << 9) - 1

    /// The tables an entry's indices refer to, and the texts its path, sha256 and metrics stay in.
    struct Context {
        let strings: [String]
        let policies: [ConfigMapping]
        /// The number of names in each set of metric names.
        let metricKeyCounts: [Int]
        let texts: SnapshotTexts
    }

    static func write(_ entry: CheckpointEntry, to out: inout SnapshotWriter) {
        var flags: UInt16 = 0
        if entry.step != nil { flags |= hasStep }
        if entry.files != nil { flags |= hasFiles }
        if entry.replaces != nil { flags |= hasReplaces }
        if entry.committedAt != nil { flags |= hasCommittedAt }
        if entry.decision != nil { flags |= hasDecision }
        if entry.policy != nil { flags |= hasPolicy }
        if let verified = entry.verified { flags |= (verified ? 2 : 1) << verifiedShift }
        if entry.epoch == nil { flags |= noEpoch }
        out.int(entry.seq)
        out.int(entry.epoch ?? 0)
        out.i64(entry.bytes)
        out.i64(entry.time.millisecondsSinceEpoch)
        out.u16(flags)
        switch entry.status {
        case .pending: out.u8(0)
        case .kept: out.u8(1)
        case .pruned: out.u8(2)
        case .aborted: out.u8(3)
        case .replaced: out.u8(4)
        }
        out.u8(entry.kind == .file ? 0 : 1)
        out.inline(entry.path)
        out.sha256(entry.sha256)
        out.metrics(entry.metrics)
        if let step = entry.step { out.int(step) }
        if let files = entry.files {
            out.count(files.count)
            for file in files { out.inline(file) }
        }
        if let replaces = entry.replaces { out.int(replaces) }
        if let committedAt = entry.committedAt { out.i64(committedAt.millisecondsSinceEpoch) }
        if let decision = entry.decision { out.interned(decision) }
        if let policy = entry.policy { out.policy(policy) }
        switch entry.status {
        case .pending, .kept: break
        case .pruned(let reason), .aborted(let reason): out.interned(reason)
        case .replaced(let seq): out.int(seq)
        }
    }

    static func read(from reader: inout SnapshotReader, context: Context) throws(SnapshotReadError) -> CheckpointEntry {
        let seq = try reader.int()
        let epoch = try reader.int()
        let bytes = try reader.i64()
        let time = Timestamp(millisecondsSinceEpoch: try reader.i64())
        let flags = try reader.u16()
        let statusCode = try reader.u8()
        let kind = try reader.u8()
        guard flags & ~knownFlags == 0, statusCode <= 4, kind <= 1, (flags >> verifiedShift) & 3 != 3 else {
            throw SnapshotReadError(problem: "an entry with unknown flags at byte \(reader.position)")
        }
        // Path, sha256 and metrics stay in the snapshot's bytes: checked here, decoded when read.
        let slot = reader.position
        try reader.skipInline()
        try reader.skipSHA256()
        try reader.skip(context.metricKeyCounts[try reader.index(below: context.metricKeyCounts.count)] * 8)
        let step = flags & hasStep != 0 ? try reader.int() : nil
        var files: [String]?
        if flags & hasFiles != 0 {
            let n = try reader.count(minimumSize: 4)
            var list: [String] = []
            list.reserveCapacity(n)
            for _ in 0..<n { list.append(try reader.inline()) }
            files = list
        }
        let replaces = flags & hasReplaces != 0 ? try reader.int() : nil
        let committedAt = flags & hasCommittedAt != 0 ? Timestamp(millisecondsSinceEpoch: try reader.i64()) : nil
        let decision = flags & hasDecision != 0 ? context.strings[try reader.index(below: context.strings.count)] : nil
        let policy = flags & hasPolicy != 0 ? context.policies[try reader.index(below: context.policies.count)] : nil
        let verifiedBits = (flags >> verifiedShift) & 3
        let status: CheckpointEntry.Status
        switch statusCode {
        case 0: status = .pending
        case 1: status = .kept
        case 2: status = .pruned(reason: context.strings[try reader.index(below: context.strings.count)])
        case 3: status = .aborted(reason: context.strings[try reader.index(below: context.strings.count)])
        default: status = .replaced(bySeq: try reader.int())
        }
        return CheckpointEntry(seq: seq, texts: context.texts, slot: slot, kind: kind == 0 ? .file : .folder,
                               epoch: flags & noEpoch != 0 ? nil : epoch, step: step, bytes: bytes, files: files, replaces: replaces,
                               time: time, status: status, committedAt: committedAt, decision: decision, policy: policy,
                               verified: verifiedBits == 0 ? nil : verifiedBits == 2)
    }
}
