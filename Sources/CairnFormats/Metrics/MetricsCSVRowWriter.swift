/// Encodes long-form metrics CSV rows (``MetricsCSV``) into one reusable byte buffer, for loggers that
/// write millions of points: nothing is allocated per row, numbers are formatted in place, a key's
/// quoted field is prepared once (``keyField(_:)``) and a repeated time is copied from the last row.
///
/// The bytes are exactly what ``MetricsCSV/appendRow(_:to:)`` writes for the same point.
/// Not thread-safe: one owner at a time.
public final class MetricsCSVRowWriter {
    /// The mutable state, behind a pointer so that the per-row path pays no dynamic exclusivity checks.
    private struct State {
        var base: UnsafeMutablePointer<UInt8>
        var capacity: Int
        var count = 0
        /// The last time written and its text, reused while the clock does not move.
        var lastTimeBits: UInt64 = Double.nan.bitPattern
        var lastTimeText: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var lastTimeCount = 0
    }

    private let state: UnsafeMutablePointer<State>

    /// The number of bytes encoded since the last ``removeAll()``.
    public var count: Int { state.pointee.count }

    /// An empty writer.
    /// - Parameter capacity: bytes to reserve up front (the buffer grows as needed).
    public init(capacity: Int = 1 << 20) {
        let capacity = max(capacity, 256)
        state = .allocate(capacity: 1)
        state.initialize(to: State(base: .allocate(capacity: capacity), capacity: capacity))
    }

    deinit {
        state.pointee.base.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// The `key` column of a row for `key`: its UTF-8, quoted per RFC 4180 when needed.
    public static func keyField(_ key: String) -> [UInt8] {
        var out: [UInt8] = []
        MetricsCSV.appendField(key, to: &out)
        return out
    }

    /// Forgets the bytes encoded so far (the buffer is kept).
    public func removeAll() { state.pointee.count = 0 }

    /// Calls `body` with the bytes encoded so far.
    public func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: state.pointee.base, count: state.pointee.count))
    }

    /// Appends one row: `time,step,epoch,key,value\n`.
    /// - Parameters:
    ///   - time: seconds since the Unix epoch, or nil (an empty field).
    ///   - step: the step.
    ///   - epoch: the epoch, or nil (an empty field).
    ///   - keyField: the key's field from ``keyField(_:)``.
    ///   - value: the value (NaN and ±infinity allowed).
    public func appendRow(time: Double?, step: Int64, epoch: Int?, keyField: [UInt8], value: Double) {
        keyField.withUnsafeBytes { appendRow(time: time, step: step, epoch: epoch, keyField: $0, value: value) }
    }

    /// Appends one row, the key's field given as bytes (for callers that keep every key's field in one
    /// buffer, so that no array is retained per row).
    public func appendRow(time: Double?, step: Int64, epoch: Int?, keyField key: UnsafeRawBufferPointer, value: Double) {
        Self.reserve(state, 4 * DecimalText.maxDoubleBytes + key.count + 8)
        let base = state.pointee.base
        var p = base + state.pointee.count
        if let time { p += Self.writeTime(state, time, to: p) }
        p[0] = 44
        p += 1
        p += DecimalText.write(step, to: p)
        p[0] = 44
        p += 1
        if let epoch { p += DecimalText.write(Int64(epoch), to: p) }
        p[0] = 44
        p += 1
        if let keyBase = key.baseAddress { UnsafeMutableRawPointer(p).copyMemory(from: keyBase, byteCount: key.count) }
        p += key.count
        p[0] = 44
        p += 1
        p += DecimalText.write(value, to: p)
        p[0] = 10
        p += 1
        state.pointee.count = p - base
    }

    @inline(__always)
    private static func writeTime(_ state: UnsafeMutablePointer<State>, _ time: Double, to p: UnsafeMutablePointer<UInt8>) -> Int {
        if time.bitPattern == state.pointee.lastTimeBits {
            let n = state.pointee.lastTimeCount
            withUnsafeBytes(of: &state.pointee.lastTimeText) { text in
                p.update(from: text.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n)
            }
            return n
        }
        // A time on a millisecond (what clocks give loggers) is written with integer arithmetic.
        let n: Int
        let milliseconds = (time * 1000).rounded()
        if time > 0, milliseconds < 1e15, milliseconds / 1000 == time,
           let written = DecimalText.writeMilliseconds(Int64(milliseconds), to: p) {
            n = written
        } else {
            n = DecimalText.write(time, to: p)
        }
        if n <= 32 {
            state.pointee.lastTimeBits = time.bitPattern
            state.pointee.lastTimeCount = n
            withUnsafeMutableBytes(of: &state.pointee.lastTimeText) { text in
                text.baseAddress!.copyMemory(from: UnsafeRawPointer(p), byteCount: n)
            }
        }
        return n
    }

    @inline(__always)
    private static func reserve(_ state: UnsafeMutablePointer<State>, _ extra: Int) {
        let count = state.pointee.count
        guard count + extra > state.pointee.capacity else { return }
        let newCapacity = max(state.pointee.capacity * 2, count + extra)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: state.pointee.base, count: count)
        state.pointee.base.deallocate()
        state.pointee.base = newBase
        state.pointee.capacity = newCapacity
    }
}
