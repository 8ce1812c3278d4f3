/// Splits RFC 4180 CSV into records and fields, over raw bytes, allocating nothing per field.
///
/// A record ends at a line feed outside quotes (a carriage return before it is dropped). A record
/// whose line feed is missing (the end of the bytes comes first) is *torn*: ``nextRecord()`` returns
/// false and leaves ``position`` at its start.
struct CSVScanner {
    struct Field {
        var start: Int
        var end: Int
        /// The field was quoted: its content is `start..<end` without the quotes, with `""` escapes.
        var quoted: Bool
    }

    let buffer: UnsafeRawBufferPointer
    /// The offset where the next record starts.
    private(set) var position = 0
    /// The 1-based line number of the next record's first line.
    private(set) var line = 1
    /// The fields of the record just scanned.
    private(set) var fields: [Field] = []
    /// True when the record just scanned has a stray quote (text after a closing quote).
    private(set) var malformed = false

    /// A scanner of `buffer`, whose first record is on line `line` of its file (1 for a whole file).
    init(_ buffer: UnsafeRawBufferPointer, line: Int = 1) {
        self.buffer = buffer
        self.line = line
        fields.reserveCapacity(16)
    }

    /// True when nothing follows ``position``.
    var isAtEnd: Bool { position >= buffer.count }

    /// Scans the next complete record into ``fields``; false at the end or at a torn record.
    mutating func nextRecord() -> Bool {
        fields.removeAll(keepingCapacity: true)
        malformed = false
        let count = buffer.count
        var i = position
        var lines = 0
        guard i < count else { return false }
        while true {
            if i < count, buffer[i] == 34 {
                // Quoted field.
                let start = i + 1
                i = start
                var closed = false
                while i < count {
                    let b = buffer[i]
                    if b == 34 {
                        if i + 1 < count, buffer[i + 1] == 34 { i += 2; continue }
                        closed = true
                        break
                    }
                    if b == 10 { lines += 1 }
                    i += 1
                }
                guard closed else { return false }  // torn inside quotes
                fields.append(Field(start: start, end: i, quoted: true))
                i += 1
                // Anything up to the delimiter after the closing quote is malformed.
                while i < count, buffer[i] != 44, buffer[i] != 10 {
                    if buffer[i] != 13 { malformed = true }
                    i += 1
                }
            } else {
                let start = i
                while i < count {
                    let b = buffer[i]
                    if b == 44 || b == 10 { break }
                    i += 1
                }
                var end = i
                if i < count, buffer[i] == 10, end > start, buffer[end - 1] == 13 { end -= 1 }
                fields.append(Field(start: start, end: end, quoted: false))
            }
            guard i < count else { return false }  // no line feed: torn
            if buffer[i] == 10 {
                position = i + 1
                line += lines + 1
                return true
            }
            i += 1  // a comma: next field
        }
    }

    /// The raw bytes of an unquoted field (quoted fields: the content between the quotes, escapes kept).
    @inline(__always)
    func bytes(_ field: Field) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[field.start..<field.end])
    }

    /// The text of a field, with `""` unescaped in quoted fields.
    func text(_ field: Field) -> String {
        let raw = bytes(field)
        guard field.quoted, raw.contains(34) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            out.append(raw[i])
            i += raw[i] == 34 && i + 1 < raw.count && raw[i + 1] == 34 ? 2 : 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// True when the field is empty (or only spaces).
    @inline(__always)
    func isBlank(_ field: Field) -> Bool {
        var i = field.start
        while i < field.end {
            if buffer[i] != 32, buffer[i] != 9 { return false }
            i += 1
        }
        return true
    }
}
