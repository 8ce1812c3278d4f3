/// Reads the scalars of any TensorBoard event file (tensorboardX, PyTorch, TensorFlow, `tensorboard`,
/// Cairn), never failing: a truncated or corrupted file yields everything before the damage plus a
/// ``TFRecordDamage`` saying where and why reading stopped.
///
/// Scalars are `Summary.Value.simple_value` (old style), and `Summary.Value.tensor` holding one
/// DT_FLOAT, DT_DOUBLE or DT_HALF element (from `float_val`, `double_val`, `half_val` or
/// `tensor_content`) on a tag whose metadata names the plugin `scalars` or the data class SCALAR.
/// As in TensorBoard, a tag's metadata may come only with its first value and applies to later ones.
/// Other summaries (histograms, images, audio, text, other tensors) are counted per tag in
/// ``EventFileScalars/skipped``.
public enum EventFileReader {
    /// Reads the scalars of an event file's bytes.
    /// - Parameters:
    ///   - bytes: the whole file (or the part of it written so far).
    ///   - verifiesChecksums: whether the TFRecord CRCs are checked (on by default).
    public static func read(bytes: [UInt8], verifiesChecksums: Bool = true) -> EventFileScalars {
        bytes.withUnsafeBytes { read(buffer: $0, verifiesChecksums: verifiesChecksums) }
    }

    /// Reads the scalars of an event file's bytes held in a buffer.
    public static func read(buffer: UnsafeRawBufferPointer, verifiesChecksums: Bool = true) -> EventFileScalars {
        var state = State(buffer: buffer)
        var malformed: TFRecordDamage?
        var fileVersion: String?
        let (records, validBytes, damage) = TFRecordReader.forEachRecord(in: buffer, verifiesChecksums: verifiesChecksums) {
            data, dataOffset, index in
            do throws(Protobuf.DecodeError) {
                if let version = try state.event(data, offset: dataOffset) { fileVersion = version }
                return true
            } catch {
                malformed = TFRecordDamage(offset: dataOffset - 12, recordIndex: index,
                                           problem: .malformedRecord("not a valid Event: \(error.problem) at byte \(error.offset)"))
                return false
            }
        }
        var result = state.finish()
        result.fileVersion = fileVersion
        if let malformed {
            result.records = records - 1
            result.validBytes = malformed.offset
            result.damage = malformed
        } else {
            result.records = records
            result.validBytes = validBytes
            result.damage = damage
        }
        return result
    }

    /// The per-tag accumulators. Tags are found by comparing raw tag bytes with the previous value's
    /// tag first, then through a dictionary, so consecutive events of one tag allocate nothing.
    struct State {
        let buffer: UnsafeRawBufferPointer
        var names: [String] = []
        var points: [[TensorBoardScalar]] = []
        var encodings: [EventFileScalars.ScalarEncoding?] = []
        var skipped: [Int] = []
        /// 0 unknown, 1 scalars (plugin `scalars` or data class SCALAR), 2 another plugin.
        var kinds: [UInt8] = []
        var indexByName: [String: Int] = [:]
        /// Each tag's bytes as first seen (views into ``buffer``).
        var tagBytes: [UnsafeRawBufferPointer] = []
        /// The tag index that followed each tag last time, or -1.
        var successors: [Int] = []
        var lastIndex = -1

        init(buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

        /// Handles one Event; returns its `file_version` if it has one.
        mutating func event(_ data: UnsafeRawBufferPointer, offset: Int) throws(Protobuf.DecodeError) -> String? {
            var r = Protobuf.Reader(data, baseOffset: offset)
            var wall = 0.0
            var step: Int64 = 0
            var summary: (bytes: UnsafeRawBufferPointer, offset: Int)?
            var version: String?
            while !r.isAtEnd {
                let (field, wire) = try r.readKey()
                switch (field, wire) {
                case (1, .fixed64): wall = Double(bitPattern: try r.readFixed64())
                case (2, .varint): step = Int64(bitPattern: try r.readVarint())
                case (3, .lengthDelimited): version = String(decoding: try r.readLengthDelimited().bytes, as: UTF8.self)
                case (5, .lengthDelimited): summary = try r.readLengthDelimited()
                default: try r.skip(wire)
                }
            }
            guard let summary else { return version }
            var s = Protobuf.Reader(summary.bytes, baseOffset: offset + summary.offset)
            while !s.isAtEnd {
                let (field, wire) = try s.readKey()
                if field == 1, wire == .lengthDelimited {
                    let (value, valueOffset) = try s.readLengthDelimited()
                    try self.value(value, offset: offset + summary.offset + valueOffset, step: step, wall: wall)
                } else {
                    try s.skip(wire)
                }
            }
            return version
        }

        /// Handles one Summary.Value.
        mutating func value(_ data: UnsafeRawBufferPointer, offset: Int, step: Int64, wall: Double) throws(Protobuf.DecodeError) {
            var r = Protobuf.Reader(data, baseOffset: offset)
            var tag = UnsafeRawBufferPointer(start: nil, count: 0)
            var simple: Float?
            var tensor: (bytes: UnsafeRawBufferPointer, offset: Int)?
            var metadata: (bytes: UnsafeRawBufferPointer, offset: Int)?
            var other = false
            while !r.isAtEnd {
                let (field, wire) = try r.readKey()
                switch (field, wire) {
                case (1, .lengthDelimited): tag = try r.readLengthDelimited().bytes
                case (2, .fixed32): simple = Float(bitPattern: try r.readFixed32())
                case (8, .lengthDelimited): tensor = try r.readLengthDelimited()
                case (9, .lengthDelimited): metadata = try r.readLengthDelimited()
                case (3...6, _):
                    try r.skip(wire)
                    other = true
                default: try r.skip(wire)
                }
            }
            let index = series(for: tag)
            if let metadata {
                let m = try TensorBoardEvent.decodeMetadata(metadata.bytes, baseOffset: offset + metadata.offset)
                if m.pluginName == "scalars" || m.dataClass == TensorBoardEvent.Metadata.scalarDataClass {
                    kinds[index] = 1
                } else if !m.pluginName.isEmpty || m.dataClass != 0 {
                    kinds[index] = 2
                }
            }
            if let simple {
                points[index].append(TensorBoardScalar(step: step, wallTime: wall, value: Double(simple)))
                encodings[index] = .simpleValue
            } else if let tensor, kinds[index] == 1, !other,
                      let v = try TensorBoardEvent.decodeTensor(tensor.bytes, baseOffset: offset + tensor.offset).scalarValue {
                points[index].append(TensorBoardScalar(step: step, wallTime: wall, value: v))
                encodings[index] = .tensor
            } else {
                skipped[index] += 1
            }
        }

        /// The index of the accumulator for a tag, created on first use. Tags usually repeat in a cycle
        /// (`loss`, `lr`, `loss`, `lr`, …): the previous tag and the one that followed it last time are
        /// compared byte for byte before a String is made for a dictionary lookup.
        @inline(__always)
        mutating func series(for tag: UnsafeRawBufferPointer) -> Int {
            if lastIndex >= 0 {
                if Self.equal(tag, tagBytes[lastIndex]) { return lastIndex }
                let next = successors[lastIndex]
                if next >= 0, Self.equal(tag, tagBytes[next]) {
                    lastIndex = next
                    return next
                }
            }
            let name = String(decoding: tag, as: UTF8.self)
            let index: Int
            if let found = indexByName[name] {
                index = found
            } else {
                index = names.count
                indexByName[name] = index
                names.append(name)
                points.append([])
                encodings.append(nil)
                skipped.append(0)
                kinds.append(0)
                tagBytes.append(tag)
                successors.append(-1)
            }
            if lastIndex >= 0 { successors[lastIndex] = index }
            lastIndex = index
            return index
        }

        @inline(__always)
        static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
            guard a.count == b.count else { return false }
            if a.baseAddress == b.baseAddress { return true }
            for i in 0..<a.count where a[i] != b[i] { return false }
            return true
        }

        func finish() -> EventFileScalars {
            var result = EventFileScalars()
            for i in names.indices {
                if !points[i].isEmpty {
                    result.scalars[names[i]] = points[i]
                    if let encoding = encodings[i] { result.encodings[names[i]] = encoding }
                }
                if skipped[i] > 0 { result.skipped[names[i]] = skipped[i] }
            }
            return result
        }
    }
}
