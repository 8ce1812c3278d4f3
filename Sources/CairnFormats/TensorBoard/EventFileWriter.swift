import CairnCore

/// Encodes TensorBoard event files: a `brain.Event:2` first record, then one old-style scalar event
/// (`Summary.Value{tag, simple_value}`, as tensorboardX and `torch.utils.tensorboard` write) per point,
/// each TFRecord-framed. Pure: the caller writes ``bytes`` to a file named with ``fileName(time:host:pid:n:)``.
///
/// Values are stored as float32 (`simple_value` is a `float`), so a Double is rounded to the nearest
/// float; NaN and ±infinity are kept. Encoding is done straight into a preallocated byte buffer.
public struct EventFileWriter: Sendable {
    /// The framed records written so far.
    public private(set) var records: TFRecordWriter

    /// The bytes written so far.
    public var bytes: [UInt8] { records.bytes }

    /// The encoded tag prefix of each tag seen by ``appendScalar(tag:value:step:wallTime:)``.
    private var prefixes: [String: ScalarPrefix] = [:]

    /// A writer whose first record is the file-version event, as a new file needs.
    /// - Parameters:
    ///   - wallTime: the first record's time (seconds since the Unix epoch).
    ///   - capacity: bytes to reserve up front.
    public init(wallTime: Double, capacity: Int = 0) {
        records = TFRecordWriter(capacity: max(capacity, 64))
        records.append(TensorBoardEvent(wallTime: wallTime, content: .fileVersion(TensorBoardEvent.fileVersion2)).encoded())
    }

    /// A writer with no first record, to append to an existing event file.
    public init(continuingWithCapacity capacity: Int) {
        records = TFRecordWriter(capacity: capacity)
    }

    /// The name TensorBoard's and PyTorch's writers give an event file:
    /// `events.out.tfevents.<%010d seconds>.<host>.<pid>.<n>`.
    /// - Parameters:
    ///   - time: seconds since the Unix epoch (the integer part is used, zero-padded to 10 digits).
    ///   - host: the host name.
    ///   - pid: the writing process's id.
    ///   - n: a per-process counter, from 0.
    public static func fileName(time: Double, host: String, pid: Int32, n: Int) -> String {
        let seconds = time.isFinite ? Int64(time.rounded(.towardZero)) : 0
        var digits = String(seconds)
        if seconds >= 0, digits.count < 10 { digits = String(repeating: "0", count: 10 - digits.count) + digits }
        return "events.out.tfevents.\(digits).\(host).\(pid).\(n)"
    }

    /// Appends any event.
    public mutating func append(_ event: TensorBoardEvent) {
        records.append(event.encoded())
    }

    /// Appends one scalar event.
    /// - Parameters:
    ///   - tag: the scalar's tag.
    ///   - value: the value (stored as float32).
    ///   - step: the step.
    ///   - wallTime: seconds since the Unix epoch.
    public mutating func appendScalar(tag: String, value: Double, step: Int64, wallTime: Double) {
        let prefix: ScalarPrefix
        if let cached = prefixes[tag] {
            prefix = cached
        } else {
            prefix = ScalarPrefix(tag: tag)
            if prefixes.count < 4096 { prefixes[tag] = prefix }
        }
        let length = prefix.recordLength(step: step, wallTime: wallTime)
        records.appendRecord(length: length) { p in
            _ = prefix.write(to: p, step: step, wallTime: wallTime, value: Float(value))
        }
    }

    /// Appends one scalar event per point (tag = ``MetricPoint/key``); points without a time get
    /// `wallTimeIfMissing`.
    public mutating func appendScalars(_ points: some Collection<MetricPoint>, wallTimeIfMissing: Double = 0) {
        records.appendFramed(Self.encodeScalars(points, wallTimeIfMissing: wallTimeIfMissing), records: points.count)
    }

    /// Returns the bytes written so far and empties the buffer, for incremental appends to a file.
    public mutating func takeBytes() -> [UInt8] { records.takeBytes() }

    /// Framed scalar events for many points, in one exactly-sized buffer (no file-version record).
    ///
    /// The tag prefix of each distinct key is encoded once; each point then costs its wall time, its
    /// step varint, a copy of the prefix, the float and two CRCs.
    public static func encodeScalars(_ points: some Collection<MetricPoint>, wallTimeIfMissing: Double = 0) -> [UInt8] {
        if let bytes = points.withContiguousStorageIfAvailable({ encodeScalars(buffer: $0, wallTimeIfMissing: wallTimeIfMissing) }) {
            return bytes
        }
        return Array(points).withUnsafeBufferPointer { encodeScalars(buffer: $0, wallTimeIfMissing: wallTimeIfMissing) }
    }

    /// The non-generic core of ``encodeScalars(_:wallTimeIfMissing:)``.
    static func encodeScalars(buffer points: UnsafeBufferPointer<MetricPoint>, wallTimeIfMissing: Double) -> [UInt8] {
        var prefixes: [ScalarPrefix] = []
        var indexByKey: [String: Int] = [:]
        var which = [Int32](repeating: 0, count: points.count)
        var total = 0
        var lastIndex = -1
        for i in points.indices {
            let key = points[i].key
            // Most series repeat in a cycle: try the previous tag, then the one that followed it last time.
            var index = -1
            if lastIndex >= 0 {
                if prefixes[lastIndex].tag == key {
                    index = lastIndex
                } else if let next = prefixes[lastIndex].successor, prefixes[next].tag == key {
                    index = next
                }
            }
            if index < 0 {
                if let found = indexByKey[key] {
                    index = found
                } else {
                    index = prefixes.count
                    indexByKey[key] = index
                    prefixes.append(ScalarPrefix(tag: key))
                }
                if lastIndex >= 0 { prefixes[lastIndex].successor = index }
            }
            lastIndex = index
            which[i] = Int32(index)
            total += prefixes[index].recordLength(step: points[i].step, wallTime: points[i].time ?? wallTimeIfMissing)
                + TFRecordWriter.overhead
        }
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            var p = UnsafeMutableRawPointer(buffer.baseAddress!)
            prefixes.withUnsafeBufferPointer { prefixes in
                which.withUnsafeBufferPointer { which in
                    for i in points.indices {
                        let prefix = prefixes[Int(which[i])]
                        let step = points[i].step
                        let wall = points[i].time ?? wallTimeIfMissing
                        let value = Float(points[i].value)
                        let length = prefix.recordLength(step: step, wallTime: wall)
                        p += TFRecordWriter.frame(at: p, length: length) { data in
                            _ = prefix.write(to: data, step: step, wallTime: wall, value: value)
                        }
                    }
                }
            }
            count = total
        }
    }

    /// The constant part of a scalar event for one tag: `2a <len> 0a <len> 0a <len> TAG 15`, followed
    /// by the 4 float bytes.
    struct ScalarPrefix: Sendable {
        let tag: String
        let bytes: [UInt8]
        /// The prefix that followed this one last time (a cache for cyclic tag orders).
        var successor: Int?

        init(tag: String) {
            self.tag = tag
            let tagBytes = Array(tag.utf8)
            let tagField = tagBytes.isEmpty ? 0 : 1 + Protobuf.varintSize(UInt64(tagBytes.count)) + tagBytes.count
            let valueLength = tagField + 5
            let summaryLength = 1 + Protobuf.varintSize(UInt64(valueLength)) + valueLength
            var w = Protobuf.Writer(capacity: summaryLength + 8)
            w.key(5, .lengthDelimited)
            w.varint(UInt64(summaryLength))
            w.key(1, .lengthDelimited)
            w.varint(UInt64(valueLength))
            if !tagBytes.isEmpty {
                w.key(1, .lengthDelimited)
                w.varint(UInt64(tagBytes.count))
                w.bytes.append(contentsOf: tagBytes)
            }
            w.key(2, .fixed32)
            bytes = w.bytes
        }

        /// The event's length in bytes (without framing).
        @inline(__always)
        func recordLength(step: Int64, wallTime: Double) -> Int {
            (wallTime.bitPattern == 0 ? 0 : 9) + (step == 0 ? 0 : 1 + Protobuf.varintSize(UInt64(bitPattern: step)))
                + bytes.count + 4
        }

        /// Writes the event at `p`; returns the bytes written.
        @inline(__always)
        func write(to p: UnsafeMutableRawPointer, step: Int64, wallTime: Double, value: Float) -> Int {
            var n = 0
            if wallTime.bitPattern != 0 {
                p.storeBytes(of: 0x09, as: UInt8.self)
                p.storeBytes(of: wallTime.bitPattern.littleEndian, toByteOffset: 1, as: UInt64.self)
                n = 9
            }
            if step != 0 {
                p.storeBytes(of: 0x10, toByteOffset: n, as: UInt8.self)
                n += 1 + Protobuf.writeVarint(UInt64(bitPattern: step), to: p + n + 1)
            }
            bytes.withUnsafeBytes { prefix in
                (p + n).copyMemory(from: prefix.baseAddress!, byteCount: prefix.count)
            }
            n += bytes.count
            p.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: n, as: UInt32.self)
            return n + 4
        }
    }
}
