/// The subset of the protocol buffers wire format that TensorBoard event files need: varints, fixed
/// 32/64-bit fields and length-delimited fields (strings, bytes, nested messages, packed arrays).
///
/// A field is written as a key `(field << 3) | wireType` followed by its payload. Everything is
/// little-endian; negative `int64` values are 10-byte varints.
public enum Protobuf {
    /// How a field's payload is encoded.
    public enum WireType: UInt8, Sendable {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5
    }

    /// A malformed message: what is wrong and where (offset from the start of the buffer read).
    public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
        public var problem: String
        public var offset: Int
        public init(_ problem: String, offset: Int) {
            self.problem = problem
            self.offset = offset
        }
        public var description: String { "\(problem) at byte \(offset)" }
    }

    /// The number of bytes the varint encoding of `value` takes (1...10).
    @inline(__always)
    public static func varintSize(_ value: UInt64) -> Int {
        // 1 + floor(bitWidth-1 / 7), with 0 taking one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// Writes the varint encoding of `value` at `pointer`; returns the bytes written.
    @inline(__always)
    public static func writeVarint(_ value: UInt64, to pointer: UnsafeMutableRawPointer) -> Int {
        var v = value
        var i = 0
        while v >= 0x80 {
            pointer.storeBytes(of: UInt8(truncatingIfNeeded: v) | 0x80, toByteOffset: i, as: UInt8.self)
            v >>= 7
            i += 1
        }
        pointer.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: i, as: UInt8.self)
        return i + 1
    }

    /// Appends protobuf fields to a byte array.
    public struct Writer: Sendable {
        /// The encoded bytes so far.
        public var bytes: [UInt8]

        /// A writer with an empty buffer.
        public init(capacity: Int = 0) {
            bytes = []
            bytes.reserveCapacity(capacity)
        }

        /// Appends a raw varint.
        public mutating func varint(_ value: UInt64) {
            var v = value
            while v >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(truncatingIfNeeded: v))
        }

        /// Appends a field key.
        public mutating func key(_ field: Int, _ wireType: WireType) {
            varint(UInt64(field) << 3 | UInt64(wireType.rawValue))
        }

        /// Appends an `int64`/`int32`/`enum`/`bool` field as a varint (negative values take 10 bytes).
        public mutating func int64(_ field: Int, _ value: Int64) {
            key(field, .varint)
            varint(UInt64(bitPattern: value))
        }

        /// Appends a `double` field (fixed64).
        public mutating func double(_ field: Int, _ value: Double) {
            key(field, .fixed64)
            fixed64(value.bitPattern)
        }

        /// Appends a `float` field (fixed32).
        public mutating func float(_ field: Int, _ value: Float) {
            key(field, .fixed32)
            fixed32(value.bitPattern)
        }

        /// Appends 4 raw little-endian bytes.
        public mutating func fixed32(_ value: UInt32) {
            for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
        }

        /// Appends 8 raw little-endian bytes.
        public mutating func fixed64(_ value: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }

        /// Appends a `string` field (UTF-8).
        public mutating func string(_ field: Int, _ value: String) {
            lengthDelimited(field, Array(value.utf8))
        }

        /// Appends a `bytes` field, or any length-delimited payload.
        public mutating func lengthDelimited(_ field: Int, _ payload: [UInt8]) {
            key(field, .lengthDelimited)
            varint(UInt64(payload.count))
            bytes.append(contentsOf: payload)
        }

        /// Appends a nested message field whose body `build` writes.
        public mutating func message(_ field: Int, _ build: (inout Writer) -> Void) {
            var inner = Writer()
            build(&inner)
            lengthDelimited(field, inner.bytes)
        }
    }

    /// Reads protobuf fields from a buffer, front to back.
    ///
    /// The reader holds an unsafe view of the bytes: use it only while the buffer it was given is alive
    /// (inside `withUnsafeBytes`).
    public struct Reader {
        /// The bytes being read.
        public let buffer: UnsafeRawBufferPointer
        /// The offset of the next byte to read.
        public private(set) var position: Int
        /// Added to offsets in errors, so a nested reader reports positions in the outer buffer.
        public let baseOffset: Int

        /// A reader at the start of `buffer`.
        /// - Parameters:
        ///   - buffer: the message's bytes.
        ///   - baseOffset: where `buffer` starts in the enclosing data, for error offsets.
        public init(_ buffer: UnsafeRawBufferPointer, baseOffset: Int = 0) {
            self.buffer = buffer
            self.baseOffset = baseOffset
            position = 0
        }

        /// True when every byte has been read.
        @inline(__always)
        public var isAtEnd: Bool { position >= buffer.count }

        /// Reads a field key; the caller checks ``isAtEnd`` first.
        /// - Throws: ``DecodeError`` for a malformed key or field number 0.
        @inline(__always)
        public mutating func readKey() throws(DecodeError) -> (field: Int, wireType: WireType) {
            let start = position
            let raw = try readVarint()
            guard let wire = WireType(rawValue: UInt8(raw & 7)), raw >> 3 != 0, raw >> 3 < 1 << 29 else {
                throw DecodeError("invalid field key 0x\(String(raw, radix: 16))", offset: baseOffset + start)
            }
            return (Int(raw >> 3), wire)
        }

        /// Reads a varint (up to 10 bytes).
        @inline(__always)
        public mutating func readVarint() throws(DecodeError) -> UInt64 {
            // Fast path: one byte.
            if position < buffer.count {
                let b = buffer[position]
                if b < 0x80 {
                    position += 1
                    return UInt64(b)
                }
            }
            var result: UInt64 = 0
            var shift: UInt64 = 0
            var i = position
            while i < buffer.count, shift < 64 {
                let b = buffer[i]
                result |= UInt64(b & 0x7F) << shift
                i += 1
                if b < 0x80 {
                    position = i
                    return result
                }
                shift += 7
            }
            throw DecodeError(i >= buffer.count ? "truncated varint" : "varint longer than 10 bytes",
                              offset: baseOffset + position)
        }

        /// Reads 4 little-endian bytes.
        @inline(__always)
        public mutating func readFixed32() throws(DecodeError) -> UInt32 {
            guard buffer.count - position >= 4 else { throw DecodeError("truncated fixed32", offset: baseOffset + position) }
            let v = buffer.loadUnaligned(fromByteOffset: position, as: UInt32.self)
            position += 4
            return UInt32(littleEndian: v)
        }

        /// Reads 8 little-endian bytes.
        @inline(__always)
        public mutating func readFixed64() throws(DecodeError) -> UInt64 {
            guard buffer.count - position >= 8 else { throw DecodeError("truncated fixed64", offset: baseOffset + position) }
            let v = buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            position += 8
            return UInt64(littleEndian: v)
        }

        /// Reads a length-delimited payload and returns its bytes (a view into ``buffer``) and its offset
        /// within ``buffer``.
        @inline(__always)
        public mutating func readLengthDelimited() throws(DecodeError) -> (bytes: UnsafeRawBufferPointer, offset: Int) {
            let start = position
            let length = try readVarint()
            guard length <= UInt64(buffer.count - position) else {
                throw DecodeError("length \(length) runs past the end of the message", offset: baseOffset + start)
            }
            let from = position
            position += Int(length)
            return (UnsafeRawBufferPointer(rebasing: buffer[from..<position]), from)
        }

        /// Skips a field's payload.
        /// - Throws: ``DecodeError`` for groups (not used by proto3) or a truncated payload.
        public mutating func skip(_ wireType: WireType) throws(DecodeError) {
            switch wireType {
            case .varint: _ = try readVarint()
            case .fixed64: _ = try readFixed64()
            case .fixed32: _ = try readFixed32()
            case .lengthDelimited: _ = try readLengthDelimited()
            case .startGroup, .endGroup:
                throw DecodeError("groups are not supported", offset: baseOffset + position)
            }
        }
    }
}
