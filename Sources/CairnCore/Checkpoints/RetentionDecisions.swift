/// Checkpoints by sequence number, each with the reason for a decision about it: one side of a
/// ``RetentionPlan``.
///
/// Kept as sequence numbers in increasing order, each with the index of its reason among the few distinct
/// reasons of a plan, so that a plan over 100,000 checkpoints holds two flat arrays and no per-entry
/// string. Reads like a dictionary from sequence number to reason (`plan.prune[12]`), and iterates in
/// increasing sequence order.
public struct RetentionDecisions: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    private var seqs: [Int] = []
    private var reasonIndices: [UInt32] = []
    private var reasons: [String] = []
    /// The reasons' indices, once there are more than a few.
    private var reasonIndex: [String: UInt32] = [:]
    private var sorted = true

    /// No decisions.
    public init() {}

    /// The given decisions.
    public init(dictionaryLiteral elements: (Int, String)...) {
        for (seq, reason) in elements { insert(seq, reason) }
    }

    /// How many checkpoints are decided on.
    public var count: Int { seqs.count }

    /// True when no checkpoint is decided on.
    public var isEmpty: Bool { seqs.isEmpty }

    /// The sequence numbers, in increasing order.
    public var keys: [Int] { seqs }

    /// The reasons, in increasing order of sequence number.
    public var values: [String] { reasonIndices.map { reasons[Int($0)] } }

    /// The reason given for a checkpoint, nil when it is not among these decisions.
    public subscript(seq: Int) -> String? {
        position(of: seq).map { reasons[Int(reasonIndices[$0])] }
    }

    /// Adds a decision (or replaces the reason of one already there).
    public mutating func insert(_ seq: Int, _ reason: String) {
        let index = intern(reason)
        if let existing = position(of: seq) {
            reasonIndices[existing] = index
            return
        }
        let at = insertionPoint(of: seq)
        seqs.insert(seq, at: at)
        reasonIndices.insert(index, at: at)
    }

    /// Adds decisions known to be new, in any order; ``finish()`` restores the order once at the end.
    mutating func appendUnordered(_ seq: Int, _ reason: String) {
        if let last = seqs.last, last >= seq { sorted = false }
        seqs.append(seq)
        reasonIndices.append(intern(reason))
    }

    /// Restores increasing order after ``appendUnordered(_:_:)``.
    mutating func finish() {
        if !sorted { restoreOrder() }
    }

    mutating func reserveCapacity(_ capacity: Int) {
        seqs.reserveCapacity(capacity)
        reasonIndices.reserveCapacity(capacity)
    }

    /// Iterates `(key: seq, value: reason)` in increasing sequence order.
    public func makeIterator() -> some IteratorProtocol<(key: Int, value: String)> {
        var position = 0
        return AnyIterator { () -> (key: Int, value: String)? in
            guard position < seqs.count else { return nil }
            defer { position += 1 }
            return (seqs[position], reasons[Int(reasonIndices[position])])
        }
    }

    /// Equal when the same checkpoints have the same reasons.
    public static func == (lhs: RetentionDecisions, rhs: RetentionDecisions) -> Bool {
        lhs.seqs == rhs.seqs && lhs.values == rhs.values
    }

    /// Where `seq` is (the decisions are in order whenever this is called).
    private func position(of seq: Int) -> Int? {
        let at = insertionPoint(of: seq)
        return at < seqs.count && seqs[at] == seq ? at : nil
    }

    /// The first position whose sequence number is not below `seq`.
    private func insertionPoint(of seq: Int) -> Int {
        var low = 0, high = seqs.count
        while low < high {
            let middle = (low + high) / 2
            if seqs[middle] < seq { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The index of a reason; a plan has few distinct ones, most often the same as the one before.
    private mutating func intern(_ reason: String) -> UInt32 {
        if let last = reasonIndices.last, reasons[Int(last)] == reason { return last }
        if reasons.count <= 16 {
            if let found = reasons.firstIndex(of: reason) { return UInt32(found) }
        } else if let found = reasonIndex[reason] {
            return found
        }
        reasons.append(reason)
        let index = UInt32(reasons.count - 1)
        if reasons.count > 16 {
            if reasonIndex.isEmpty { for (i, text) in reasons.enumerated() { reasonIndex[text] = UInt32(i) } }
            reasonIndex[reason] = index
        }
        return index
    }

    private mutating func restoreOrder() {
        let order = seqs.indices.sorted { seqs[$0] < seqs[$1] }
        seqs = order.map { seqs[$0] }
        reasonIndices = order.map { reasonIndices[$0] }
        sorted = true
    }
}
