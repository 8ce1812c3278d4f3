import CairnCore

/// Why a manifest line could not be read.
struct ManifestLineError: Error {
    let problem: String
}

/// A JSON reader over the bytes of one manifest line, producing the values the manifest uses.
///
/// It works on raw bytes to stay fast: keys are matched without allocating, plain strings are made in one
/// step, and numbers take an exact fast path before falling back to the standard library.
struct ManifestLineParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    private let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int) {
        self.bytes = bytes
        self.position = start
        self.end = end
    }

    private var current: UInt8? { position < end ? bytes[position] : nil }

    /// The end of the line (exclusive).
    var endIndex: Int { end }

    /// The byte at an index before ``endIndex``.
    func byte(_ index: Int) -> UInt8 { bytes[index] }

    func fail(_ problem: String) -> ManifestLineError {
        ManifestLineError(problem: "\(problem) at byte \(position + 1) of the line")
    }

    mutating func skipWhitespace() {
        while position < end {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0D else { return }
            position += 1
        }
    }

    var atEnd: Bool { position >= end }

    mutating func expect(_ byte: UInt8, _ what: String) throws(ManifestLineError) {
        skipWhitespace()
        guard current == byte else { throw fail("expected \(what)") }
        position += 1
    }

    /// Consumes `byte` (after whitespace) if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard current == byte else { return false }
        position += 1
        return true
    }

    /// Iterates an object's members: calls `body` with each key's bytes, positioned at its value.
    mutating func object(_ body: (inout ManifestLineParser, ManifestKey) throws(ManifestLineError) -> Void)
        throws(ManifestLineError) {
        try expect(UInt8(ascii: "{"), "'{'")
        if consume(UInt8(ascii: "}")) { return }
        repeat {
            skipWhitespace()
            let key = try keyToken()
            try expect(UInt8(ascii: ":"), "':' after a key")
            skipWhitespace()
            try body(&self, key)
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"), "',' or '}'")
    }

    /// Iterates an array's items, positioned at each.
    mutating func array(_ body: (inout ManifestLineParser) throws(ManifestLineError) -> Void) throws(ManifestLineError) {
        try expect(UInt8(ascii: "["), "'['")
        if consume(UInt8(ascii: "]")) { return }
        repeat {
            skipWhitespace()
            try body(&self)
        } while consume(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"), "',' or ']'")
    }

    /// A key, as a view of its bytes.
    private mutating func keyToken() throws(ManifestLineError) -> ManifestKey {
        guard current == UInt8(ascii: "\"") else { throw fail("expected a key in double quotes") }
        let start = position + 1
        var i = start
        while i < end, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
        if i < end, bytes[i] == UInt8(ascii: "\"") {
            position = i + 1
            return ManifestKey(bytes: UnsafeBufferPointer(rebasing: bytes[start..<i]), isEscaped: false)
        }
        _ = try string()
        return ManifestKey(bytes: UnsafeBufferPointer(rebasing: bytes[start..<(position - 1)]), isEscaped: true)
    }

    /// The text of a string's bytes (between the quotes) that hold escapes already checked by ``string()``.
    static func unescape(_ inner: UnsafeBufferPointer<UInt8>) -> String {
        let quoted = [UInt8(ascii: "\"")] + Array(inner) + [UInt8(ascii: "\"")]
        return quoted.withUnsafeBufferPointer { buffer in
            var parser = ManifestLineParser(buffer, start: 0, end: buffer.count)
            // The escapes were checked when the line was parsed, so this cannot fail; the raw text otherwise.
            return (try? parser.string()) ?? String(decoding: inner, as: UTF8.self)
        }
    }

    /// A JSON string.
    mutating func string() throws(ManifestLineError) -> String {
        guard current == UInt8(ascii: "\"") else { throw fail("expected a string") }
        position += 1
        let start = position
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail("a control character in a string") }
            position += 1
        }
        var out = Array(bytes[start..<position])
        while position < end {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            if byte < 0x20 { throw fail("a control character in a string") }
            if byte != UInt8(ascii: "\\") { out.append(byte); continue }
            guard let escape = current else { break }
            position += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var value = try hex4()
                if (0xD800..<0xDC00).contains(value) {
                    guard position + 1 < end, bytes[position] == UInt8(ascii: "\\"),
                          bytes[position + 1] == UInt8(ascii: "u") else { throw fail("an unpaired surrogate") }
                    position += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("an unpaired surrogate") }
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(value) else { throw fail("an unpaired surrogate") }
                out.append(contentsOf: UTF8.encode(scalar)!)
            default: throw fail("an unknown escape in a string")
            }
        }
        throw fail("the string is not closed")
    }

    private mutating func hex4() throws(ManifestLineError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { throw fail("expected 4 hex digits after \\u") }
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("expected 4 hex digits after \\u")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    /// A JSON integer (no fraction, no exponent) that fits in Int64.
    mutating func int64() throws(ManifestLineError) -> Int64 {
        let negative = current == UInt8(ascii: "-")
        if negative { position += 1 }
        var value: Int64 = 0
        let start = position
        while let byte = current, byte >= 0x30, byte <= 0x39 {
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int64(byte - 0x30))
            guard !o1, !o2 else { throw fail("an integer out of range") }
            value = plus
            position += 1
        }
        guard position > start else { throw fail("expected an integer") }
        if let byte = current, byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            throw fail("expected an integer, found a fraction")
        }
        return negative ? -value : value
    }

    mutating func int() throws(ManifestLineError) -> Int {
        let value = try int64()
        guard let int = Int(exactly: value) else { throw fail("an integer out of range") }
        return int
    }

    mutating func bool() throws(ManifestLineError) -> Bool {
        if matchWord("true") { return true }
        if matchWord("false") { return false }
        throw fail("expected true or false")
    }

    mutating func matchWord(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard position + count <= end else { return false }
        let matches = word.withUTF8Buffer { w in
            for k in 0..<count where bytes[position + k] != w[k] { return false }
            return true
        }
        if matches { position += count }
        return matches
    }

    /// A metric value: a number, or the strings `"nan"`, `"inf"`, `"-inf"` (also the bare `NaN`,
    /// `Infinity`, `-Infinity` that Python's `json` writes, and `null` for NaN).
    mutating func metric() throws(ManifestLineError) -> Double {
        switch current {
        case UInt8(ascii: "\""):
            switch try string() {
            case "nan", "NaN": return .nan
            case "inf", "+inf", "Infinity": return .infinity
            case "-inf", "-Infinity": return -.infinity
            default: throw fail("expected a number or \"nan\", \"inf\", \"-inf\"")
            }
        case UInt8(ascii: "N"):
            if matchWord("NaN") { return .nan }
        case UInt8(ascii: "I"):
            if matchWord("Infinity") { return .infinity }
        case UInt8(ascii: "n"):
            if matchWord("null") { return .nan }
        case UInt8(ascii: "-"):
            if matchWord("-Infinity") { return -.infinity }
            return try number().value
        default:
            return try number().value
        }
        throw fail("expected a number")
    }

    /// A JSON number and whether it was written as an integer.
    mutating func number() throws(ManifestLineError) -> (value: Double, isInteger: Bool, int: Int64?) {
        let start = position
        var negative = false
        if current == UInt8(ascii: "-") { negative = true; position += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var exact = true
        let intStart = position
        while let byte = current, byte >= 0x30, byte <= 0x39 {
            if digits < 19 { mantissa = mantissa * 10 + UInt64(byte - 0x30); digits += mantissa == 0 ? 0 : 1 }
            else { exact = false }
            position += 1
        }
        guard position > intStart else { throw fail("expected a number") }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            let fracStart = position
            while let byte = current, byte >= 0x30, byte <= 0x39 {
                if digits < 19 {
                    mantissa = mantissa * 10 + UInt64(byte - 0x30)
                    digits += mantissa == 0 ? 0 : 1
                    exponent -= 1
                } else {
                    exact = false
                }
                position += 1
            }
            guard position > fracStart else { throw fail("expected a digit after '.'") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            var expNegative = false
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") {
                expNegative = current == UInt8(ascii: "-")
                position += 1
            }
            var e = 0
            let expStart = position
            while let byte = current, byte >= 0x30, byte <= 0x39 {
                if e < 100_000 { e = e * 10 + Int(byte - 0x30) }
                position += 1
            }
            guard position > expStart else { throw fail("expected a digit in the exponent") }
            exponent += expNegative ? -e : e
        }
        // Clinger's fast path: an exact mantissa and a power of ten that are both exact doubles give the
        // correctly rounded result in one operation.
        if exact, mantissa < (1 << 53), exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            value = exponent < 0 ? value / Self.powersOfTen[-exponent] : value * Self.powersOfTen[exponent]
            let int: Int64? = isInteger && mantissa <= UInt64(Int64.max) ? (negative ? -Int64(mantissa) : Int64(mantissa)) : nil
            return (negative ? -value : value, isInteger, int)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        guard let value = Double(text) else { throw fail("the number \(text) cannot be read") }
        return (value, isInteger, isInteger ? Int64(text) : nil)
    }

    private static let powersOfTen: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// Any JSON value as a ``ConfigValue`` (ints and floats told apart by their spelling).
    mutating func configValue(depth: Int = 0) throws(ManifestLineError) -> ConfigValue {
        guard depth < 64 else { throw fail("the value nests too deeply") }
        skipWhitespace()
        switch current {
        case UInt8(ascii: "{"):
            var mapping = ConfigMapping()
            try object { (parser: inout ManifestLineParser, key: ManifestKey) throws(ManifestLineError) in
                mapping.set(key.text, try parser.configValue(depth: depth + 1))
            }
            return .mapping(mapping)
        case UInt8(ascii: "["):
            var items: [ConfigValue] = []
            try array { (parser: inout ManifestLineParser) throws(ManifestLineError) in
                items.append(try parser.configValue(depth: depth + 1))
            }
            return .list(items)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try bool())
        case UInt8(ascii: "n"):
            if matchWord("null") { return .null }
            throw fail("expected a JSON value")
        default:
            let number = try number()
            if number.isInteger, let int = number.int { return .int(int) }
            return .float(number.value)
        }
    }

    /// Skips any JSON value (an unknown field's, or a policy already read) without building it.
    mutating func skipValue(depth: Int = 0) throws(ManifestLineError) {
        guard depth < 64 else { throw fail("the value nests too deeply") }
        skipWhitespace()
        switch current {
        case UInt8(ascii: "{"):
            try object { (parser: inout ManifestLineParser, _: ManifestKey) throws(ManifestLineError) in
                try parser.skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "["):
            try array { (parser: inout ManifestLineParser) throws(ManifestLineError) in
                try parser.skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "\""):
            position += 1
            while position < end {
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: "\"") { return }
                if byte == UInt8(ascii: "\\") { position += 1 }
            }
            throw fail("the string is not closed")
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"):
            if !matchWord("null") { throw fail("expected a JSON value") }
        default:
            _ = try number()
        }
    }

    /// The bytes from `start` to the current position.
    func slice(from start: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[start..<position])
    }

    /// A parser over the same bytes, from `start` to the current position.
    func reparse(from start: Int) -> ManifestLineParser {
        ManifestLineParser(bytes, start: start, end: position)
    }
}

extension ManifestLineParser {
    /// An ISO 8601 UTC time in a string: the `YYYY-MM-DDTHH:MM:SS.fffZ` form is read in place, any other
    /// form ``Timestamp/init(iso8601:)`` accepts through it.
    mutating func timestamp() throws(ManifestLineError) -> Timestamp {
        if let fast = fastTimestamp() { return fast }
        let text = try string()
        guard let time = Timestamp(iso8601: text) else { throw fail("'\(text)' is not an ISO 8601 UTC time") }
        return time
    }

    private mutating func fastTimestamp() -> Timestamp? {
        let p = position
        guard p + 26 <= endIndex, byte(p) == 0x22, byte(p + 25) == 0x22, byte(p + 24) == UInt8(ascii: "Z"),
              byte(p + 5) == 0x2D, byte(p + 8) == 0x2D, byte(p + 11) == UInt8(ascii: "T"),
              byte(p + 14) == 0x3A, byte(p + 17) == 0x3A, byte(p + 20) == 0x2E else { return nil }
        func num(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for k in from..<(from + count) {
                let b = byte(p + k)
                guard b >= 0x30, b <= 0x39 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            return v
        }
        guard let y = num(1, 4), let mo = num(6, 2), let d = num(9, 2), let h = num(12, 2), let mi = num(15, 2),
              let s = num(18, 2), let ms = num(21, 3),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        position = p + 26
        // Days from civil (Howard Hinnant's algorithm), as Timestamp does.
        let yy = Int64(mo <= 2 ? y - 1 : y)
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let m = Int64(mo)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = days * 86_400 + Int64(h * 3600 + mi * 60 + s)
        return Timestamp(millisecondsSinceEpoch: seconds * 1000 + Int64(ms))
    }
}
