/// Reads the JSON of the records Cairn writes (`run.json` and the index's copy of it, and the MLflow
/// server's hottest request bodies) token by token,
/// straight from UTF-8 bytes. Every method returns nil (or false) on anything it does not take, never a
/// guess: its callers then hand the bytes to Foundation's `JSONDecoder`, which reads them or explains
/// what is wrong. So this only has to be right on what it accepts, not complete.
public struct RecordJSONScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// How far the bytes were read.
    private(set) var position = 0

    public init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// Skips JSON whitespace.
    public mutating func skipSpace() {
        while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    /// Consumes `byte` (after whitespace) if it comes next.
    public mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard current == byte else { return false }
        position += 1
        return true
    }

    /// True when only whitespace is left.
    public mutating func atEnd() -> Bool {
        skipSpace()
        return current == nil
    }

    /// Consumes `null` if it comes next.
    public mutating func null() -> Bool { word("null") }

    /// `true` or `false`.
    public mutating func bool() -> Bool? {
        if word("true") { return true }
        if word("false") { return false }
        return nil
    }

    private mutating func word(_ text: StaticString) -> Bool {
        skipSpace()
        let count = text.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        for i in 0..<count where bytes[position + i] != text.utf8Start[i] { return false }
        let end = position + count
        if end < bytes.count, Self.isLetterOrDigit(bytes[end]) { return false }
        position = end
        return true
    }

    /// A string: valid UTF-8, JSON's escapes, no raw control characters.
    public mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
            guard byte >= 0x20 else { return nil }
            position += 1
        }
        guard let stop = current else { return nil }
        if stop == UInt8(ascii: "\"") {
            position += 1
            return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<position - 1]), as: UTF8.self)
        }
        var text = Array(bytes[start..<position])
        while let byte = current {
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escape = current else { return nil }
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape() else { return nil }
                    text.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: return nil
                }
            default:
                guard byte >= 0x20 else { return nil }
                text.append(byte)
            }
        }
        return nil
    }

    /// The scalar of `XXXX` after `\u` (and of a following `\uXXXX` completing a surrogate pair).
    private mutating func unicodeEscape() -> Unicode.Scalar? {
        guard let high = hex4() else { return nil }
        if (0xDC00..<0xE000).contains(high) { return nil }
        guard (0xD800..<0xDC00).contains(high) else { return Unicode.Scalar(high) }
        guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else { return nil }
        position += 2
        guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
        return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    private mutating func hex4() -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// A whole number written without a fraction or an exponent, in Int64's range.
    public mutating func integer() -> Int64? {
        skipSpace()
        let start = position
        guard let value = wholeNumber(), current.map({ !Self.isLetterOrDigit($0) && $0 != UInt8(ascii: ".") }) ?? true else {
            position = start
            return nil
        }
        return value
    }

    /// A whole number written as a string of digits (`"1733443200000"`, how protobuf's JSON writes an
    /// int64), with an optional `-`; nil (nothing consumed) for any other string or value.
    public mutating func quotedInteger() -> Int64? {
        let start = position
        guard take(UInt8(ascii: "\"")), let value = wholeNumber(), current == UInt8(ascii: "\"") else {
            position = start
            return nil
        }
        position += 1
        return value
    }

    /// `-? (0 | [1-9][0-9]*)` in Int64's range, read from the bytes; nil otherwise (the position then
    /// anywhere: callers put it back).
    private mutating func wholeNumber() -> Int64? {
        let negative = current == UInt8(ascii: "-")
        if negative { position += 1 }
        let first = position
        var magnitude: UInt64 = 0
        while let byte = current, byte &- UInt8(ascii: "0") < 10 {
            let (times10, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(UInt64(byte &- UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            magnitude = sum
            position += 1
        }
        let count = position - first
        guard count > 0, count == 1 || bytes[first] != UInt8(ascii: "0") else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// The bytes of the number that comes next, in JSON's grammar (for a parser that reads them in
    /// place); nil (nothing consumed) for anything else.
    public mutating func numberBytes() -> UnsafeBufferPointer<UInt8>? {
        skipSpace()
        let start = position
        guard number() else {
            position = start
            return nil
        }
        return UnsafeBufferPointer(rebasing: bytes[start..<position])
    }

    /// Any JSON number, as the nearest Double.
    public mutating func double() -> Double? {
        skipSpace()
        let start = position
        guard let text = numberText(), let value = Double(text) else {
            position = start
            return nil
        }
        return value
    }

    /// The text of a number in JSON's grammar.
    private mutating func numberText() -> String? {
        let start = position
        guard number() else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// Moves past a number in JSON's grammar (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`)
    /// that no letter, digit or `.` follows; false otherwise.
    private mutating func number() -> Bool {
        if current == UInt8(ascii: "-") { position += 1 }
        if current == UInt8(ascii: "0") {
            position += 1
        } else {
            guard digits() else { return false }
        }
        if current == UInt8(ascii: ".") {
            position += 1
            guard digits() else { return false }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard digits() else { return false }
        }
        if let next = current, Self.isLetterOrDigit(next) || next == UInt8(ascii: ".") { return false }
        return true
    }

    private mutating func digits() -> Bool {
        let start = position
        while let byte = current, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { position += 1 }
        return position > start
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
    }

    /// An array of strings.
    public mutating func strings() -> [String]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var items: [String] = []
        if take(UInt8(ascii: "]")) { return items }
        repeat {
            guard let item = string() else { return nil }
            items.append(item)
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? items : nil
    }

    /// The members of an object whose keys are among `keys` (written without escapes), each read by
    /// `member` given its key's index there (false when it does not take the value); no key twice.
    /// Returns false on anything else.
    public mutating func object(keys: [StaticString], _ member: (inout RecordJSONScanner, Int) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        var seen: UInt64 = 0
        repeat {
            guard let key = knownKey(keys), seen & (1 << key) == 0, take(UInt8(ascii: ":")), member(&self, key) else { return false }
            seen |= 1 << key
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    /// The index in `keys` of the string that comes next; nil for another string, or one with escapes.
    private mutating func knownKey(_ keys: [StaticString]) -> Int? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") { position += 1 }
        guard current == UInt8(ascii: "\"") else { return nil }
        let count = position - start
        position += 1
        for (index, key) in keys.enumerated() where key.utf8CodeUnitCount == count {
            var same = true
            for i in 0..<count where bytes[start + i] != key.utf8Start[i] {
                same = false
                break
            }
            if same { return index }
        }
        return nil
    }
}

extension RecordJSONScanner {
    /// An object of strings (`params.json`, `tags.json`); nil for anything else, or a key given twice.
    public mutating func stringMap() -> [String: String]? {
        guard take(UInt8(ascii: "{")) else { return nil }
        var map: [String: String] = [:]
        if take(UInt8(ascii: "}")) { return map }
        repeat {
            guard let key = string(), take(UInt8(ascii: ":")), let value = string(), map.updateValue(value, forKey: key) == nil else { return nil }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}")) ? map : nil
    }
}

extension RecordJSONScanner {
    /// An array whose items `element` reads (false when it does not take one).
    public mutating func array(_ element: (inout RecordJSONScanner) -> Bool) -> Bool {
        guard take(UInt8(ascii: "[")) else { return false }
        if take(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
    }
}
