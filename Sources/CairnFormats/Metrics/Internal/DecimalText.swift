/// Number ↔ text for the metrics CSV, without Foundation: shortest round-trip digits out, exact
/// parsing in (Clinger's fast path, falling back to the standard library's correctly rounded parser).
enum DecimalText {
    /// Appends the decimal digits of `value`.
    @inline(__always)
    static func append(_ value: Int64, to out: inout [UInt8]) {
        if value >= 0, value < 10 {
            out.append(UInt8(48 + value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
        var magnitude = value.magnitude
        var count = 0
        withUnsafeMutableBytes(of: &digits) { scratch in
            while magnitude > 0 || count == 0 {
                scratch[23 - count] = UInt8(48 + magnitude % 10)
                magnitude /= 10
                count += 1
            }
            if value < 0 { out.append(45) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[(24 - count)...]))
        }
    }

    /// Appends the shortest text that reads back as `value`: Swift's round-trip digits (`0.1`, `1e-05`,
    /// `3.0`), with `nan`, `inf` and `-inf` for the special values.
    @inline(__always)
    static func append(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN {
            out.append(contentsOf: [110, 97, 110])  // nan
        } else if value.isInfinite {
            if value < 0 { out.append(45) }
            out.append(contentsOf: [105, 110, 102])  // inf
        } else if value == value.rounded(.towardZero), value.magnitude < 1e15 {
            // Integral values: the digits and ".0", as Swift's description writes them.
            if value == 0, value.sign == .minus { out.append(45) }
            append(Int64(value), to: &out)
            out.append(46)
            out.append(48)
        } else {
            var text = value.description
            text.withUTF8 { out.append(contentsOf: $0) }
        }
    }

    /// Exact powers of ten that a Double holds exactly.
    static let powersOfTen: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// Parses a decimal number (or `nan`, `inf`, `-inf`, `infinity`, any case) from `bytes`, ignoring
    /// spaces around it; nil when it is not a number.
    static func parseDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
        while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
        guard start < end else { return nil }
        var i = start
        var negative = false
        if bytes[i] == 45 || bytes[i] == 43 {
            negative = bytes[i] == 45
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while i < end, bytes[i] &- 48 < 10 {
            sawDigit = true
            if digits < 19 {
                mantissa = mantissa * 10 + UInt64(bytes[i] - 48)
                if mantissa != 0 { digits += 1 }
            } else {
                return slowParse(bytes, start, end)
            }
            i += 1
        }
        if i < end, bytes[i] == 46 {
            i += 1
            while i < end, bytes[i] &- 48 < 10 {
                sawDigit = true
                if digits < 19 {
                    mantissa = mantissa * 10 + UInt64(bytes[i] - 48)
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                } else {
                    return slowParse(bytes, start, end)
                }
                i += 1
            }
        }
        guard sawDigit else { return slowParse(bytes, start, end) }
        if i < end, bytes[i] == 101 || bytes[i] == 69 {
            i += 1
            var expNegative = false
            if i < end, bytes[i] == 45 || bytes[i] == 43 {
                expNegative = bytes[i] == 45
                i += 1
            }
            var e = 0
            var expDigits = 0
            while i < end, bytes[i] &- 48 < 10 {
                if e < 100_000 { e = e * 10 + Int(bytes[i] - 48) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == end else { return slowParse(bytes, start, end) }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let m = Double(mantissa)
            let v = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
            return negative ? -v : v
        }
        return slowParse(bytes, start, end)
    }

    /// The standard library's parser, for what the fast path does not cover (long mantissas, large
    /// exponents, nan/inf spellings).
    static func slowParse(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Double? {
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        // Reject hexadecimal floats, which the standard library accepts but CSV readers do not.
        if text.contains("x") || text.contains("X") { return nil }
        return Double(text)
    }

    /// Parses a decimal integer (spaces around it ignored); also accepts an integral decimal such as
    /// `50.0`. Nil when it is not one or does not fit.
    static func parseInt(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var start = 0, end = bytes.count
        while start < end, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
        while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
        guard start < end else { return nil }
        var i = start
        var negative = false
        if bytes[i] == 45 || bytes[i] == 43 {
            negative = bytes[i] == 45
            i += 1
        }
        guard i < end else { return nil }
        var value: Int64 = 0
        while i < end, bytes[i] &- 48 < 10 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.subtractingReportingOverflow(Int64(bytes[i] - 48))  // accumulate negatively
            if o1 || o2 { return nil }
            value = a
            i += 1
        }
        if i == end {
            if negative { return value }
            return value == .min ? nil : -value
        }
        // Something else follows: accept an integral decimal like "50.0" or "1e3".
        guard let d = parseDouble(UnsafeRawBufferPointer(rebasing: bytes[start..<end])), d.isFinite,
              d == d.rounded(.towardZero), d.magnitude < 9.2e18 else { return nil }
        return Int64(d)
    }
}
