import CairnCore

/// The dict literal of an npy header, read as numpy reads it (`ast.literal_eval`, then exactly the keys
/// `descr`, `fortran_order` and `shape`, a string, a bool and a tuple of non-negative ints), by a small
/// parser of that literal's grammar only: single- or double-quoted strings, `True`/`False`, tuples of
/// integers (with Python 2's `L` suffix, which numpy still strips), commas and white space.
struct NpyHeaderLiteral {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    private enum Value {
        case string(String)
        case bool(Bool)
        case tuple([Int])
    }

    static func parse(_ text: String) throws(CairnError) -> NpyHeaderLiteral {
        var reader = Reader(Array(text.utf8))
        var fields: [String: Value] = [:]
        try reader.expect(UInt8(ascii: "{"))
        while true {
            reader.skipSpace()
            if reader.take(UInt8(ascii: "}")) { break }
            let key = try reader.string()
            reader.skipSpace()
            try reader.expect(UInt8(ascii: ":"))
            reader.skipSpace()
            guard fields[key] == nil else { throw malformed("the key '\(key)' is given twice") }
            fields[key] = try reader.value()
            reader.skipSpace()
            if reader.take(UInt8(ascii: "}")) { break }
            try reader.expect(UInt8(ascii: ","))
        }
        reader.skipSpace()
        guard reader.atEnd else { throw malformed("text follows the dict") }
        guard Set(fields.keys) == ["descr", "fortran_order", "shape"] else {
            throw malformed("its keys are \(fields.keys.sorted()), not descr, fortran_order and shape")
        }
        guard case .string(let descr)? = fields["descr"] else {
            throw CairnError(.unsupportedFormat, "the npy header's descr is not a string: a structured array",
                             hint: "Cairn reads arrays of one plain dtype")
        }
        guard case .bool(let fortran)? = fields["fortran_order"] else { throw malformed("fortran_order is not True or False") }
        guard case .tuple(let shape)? = fields["shape"] else { throw malformed("shape is not a tuple of integers") }
        return NpyHeaderLiteral(descr: descr, fortranOrder: fortran, shape: shape)
    }

    static func malformed(_ why: String) -> CairnError {
        CairnError(.corrupt, "the npy header does not read: \(why)", hint: "the file is damaged or was not written by numpy.save")
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index >= bytes.count }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func expect(_ byte: UInt8) throws(CairnError) {
            guard take(byte) else {
                throw malformed("expected '\(Character(Unicode.Scalar(byte)))' at byte \(index)")
            }
        }

        mutating func string() throws(CairnError) -> String {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "'") || bytes[index] == UInt8(ascii: "\"") else {
                throw malformed("expected a quoted string at byte \(index)")
            }
            let quote = bytes[index]
            index += 1
            let start = index
            while index < bytes.count, bytes[index] != quote {
                guard bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 else { throw malformed("an escape or control character in a string at byte \(index)") }
                index += 1
            }
            guard index < bytes.count else { throw malformed("a string is not closed") }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            index += 1
            return text
        }

        mutating func value() throws(CairnError) -> Value {
            guard index < bytes.count else { throw malformed("a value is missing at the end") }
            switch bytes[index] {
            case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "("): return .tuple(try tuple())
            case UInt8(ascii: "["): throw CairnError(.unsupportedFormat, "the npy header's descr or shape is a list: a structured array",
                                                     hint: "Cairn reads arrays of one plain dtype")
            default:
                if word("True") { return .bool(true) }
                if word("False") { return .bool(false) }
                throw malformed("an unexpected value at byte \(index)")
            }
        }

        private mutating func word(_ text: String) -> Bool {
            let utf8 = Array(text.utf8)
            guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 else { return false }
            index += utf8.count
            return true
        }

        mutating func tuple() throws(CairnError) -> [Int] {
            try expect(UInt8(ascii: "("))
            var items: [Int] = []
            while true {
                skipSpace()
                if take(UInt8(ascii: ")")) { break }
                items.append(try integer())
                skipSpace()
                if take(UInt8(ascii: ")")) { break }
                try expect(UInt8(ascii: ","))
            }
            guard items.count <= 64 else { throw malformed("the shape has \(items.count) dimensions (numpy allows 64)") }
            return items
        }

        private mutating func integer() throws(CairnError) -> Int {
            let start = index
            var value = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int(bytes[index] - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { throw malformed("a dimension beyond \(Int.max)") }
                value = sum
                index += 1
            }
            guard index > start else { throw malformed("expected a non-negative integer at byte \(index)") }
            _ = take(UInt8(ascii: "L"))
            return value
        }
    }
}
