/// Where a TFRecord file stops being readable, and why.
///
/// Readers stop at the first damaged record (as TensorBoard does) and keep everything before it;
/// ``offset`` is also the number of good bytes, so a writer may truncate the file there and append.
public struct TFRecordDamage: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the record.
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        /// Fewer than the 12 header bytes remain.
        case truncatedHeader(available: Int)
        /// The masked CRC of the 8 length bytes does not match.
        case lengthChecksumMismatch(stored: UInt32, computed: UInt32)
        /// The header promises more data (plus the 4-byte data CRC) than the file holds.
        case truncatedData(length: UInt64, available: Int)
        /// The masked CRC of the data does not match.
        case dataChecksumMismatch(stored: UInt32, computed: UInt32)
        /// The framing is intact but the record is not a valid message (for example not an `Event`).
        case malformedRecord(String)

        public var description: String {
            switch self {
            case .truncatedHeader(let available):
                return "truncated record header (\(available) of 12 bytes)"
            case .lengthChecksumMismatch(let stored, let computed):
                return "length checksum mismatch (stored 0x\(hex(stored)), computed 0x\(hex(computed)))"
            case .truncatedData(let length, let available):
                return "truncated record (header says \(length) data bytes + 4 CRC bytes, \(available) remain)"
            case .dataChecksumMismatch(let stored, let computed):
                return "data checksum mismatch (stored 0x\(hex(stored)), computed 0x\(hex(computed)))"
            case .malformedRecord(let why):
                return "malformed record: \(why)"
            }
        }

        private func hex(_ v: UInt32) -> String {
            let digits = String(v, radix: 16)
            return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
        }
    }

    /// The byte offset where the damaged record starts (= the number of readable bytes before it).
    public var offset: Int
    /// The 0-based index of the damaged record (= the number of good records before it).
    public var recordIndex: Int
    /// What is wrong.
    public var problem: Problem

    public init(offset: Int, recordIndex: Int, problem: Problem) {
        self.offset = offset
        self.recordIndex = recordIndex
        self.problem = problem
    }

    /// True when the file merely ends early (a writer may still be appending, or was killed).
    public var isTruncation: Bool {
        switch problem {
        case .truncatedHeader, .truncatedData: return true
        default: return false
        }
    }

    public var description: String { "record \(recordIndex) at byte \(offset): \(problem)" }
}
