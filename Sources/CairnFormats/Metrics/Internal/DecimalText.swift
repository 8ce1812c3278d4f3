/// The Swift runtime's shortest round-trip formatter for Double (`swift_float64ToString`, exported by
/// libswiftCore and used by the standard library's `description`).
@_silgen_name("swift_float64ToString")
func _swiftFloat64ToString(_ buffer: UnsafeMutablePointer<UInt8>, _ length: UInt, _ value: Double, _ debug: Bool) -> UInt64

/// The standard library's correctly rounded decimal parser in the C locale (`_swift_stdlib_strtod_clocale`,
/// exported by libswiftCore, what `Double(String)` calls): the text must end with a NUL; the answer is
/// where parsing stopped, or nil.
@_silgen_name("_swift_stdlib_strtod_clocale")
func _swiftStrtodCLocale(_ text: UnsafePointer<CChar>, _ result: UnsafeMutablePointer<Double>) -> UnsafePointer<CChar>?

/// Number ↔ text for the metrics CSV, without Foundation: shortest round-trip digits out, exact
/// parsing in (Clinger's fast path, falling back to the standard library's correctly rounded parser).
public enum DecimalText {
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
            var scratch: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes
            withUnsafeMutableBytes(of: &scratch) { buffer in
                let n = shortestDigits(value, to: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<n]))
            }
        }
    }

    /// The most bytes ``write(_:to:)-(Double,_)`` writes for a Double.
    static let maxDoubleBytes = 32

    /// Writes the decimal digits of `value` at `p` (room for 20 bytes); returns the count.
    @inline(__always)
    static func write(_ value: Int64, to p: UnsafeMutablePointer<UInt8>) -> Int {
        if value >= 0, value < 10 {
            p[0] = UInt8(48 + value)
            return 1
        }
        var magnitude = value.magnitude
        var count = 0
        var n = magnitude
        repeat { count += 1; n /= 10 } while n > 0
        var i = value < 0 ? count + 1 : count
        let total = i
        if value < 0 { p[0] = 45 }
        repeat {
            i -= 1
            p[i] = UInt8(48 + magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        return total
    }

    /// Writes the same text as ``append(_:to:)-(Double,_)`` at `p` (room for ``maxDoubleBytes``);
    /// returns the count.
    @inline(__always)
    static func write(_ value: Double, to p: UnsafeMutablePointer<UInt8>) -> Int {
        if value.isNaN {
            p[0] = 110; p[1] = 97; p[2] = 110  // nan
            return 3
        }
        if value.isInfinite {
            var n = 0
            if value < 0 { p[0] = 45; n = 1 }
            p[n] = 105; p[n + 1] = 110; p[n + 2] = 102  // inf
            return n + 3
        }
        if value == value.rounded(.towardZero), value.magnitude < 1e15 {
            var n = 0
            if value == 0, value.sign == .minus { p[0] = 45; n = 1 }
            n += write(Int64(value), to: p + n)
            p[n] = 46; p[n + 1] = 48  // ".0"
            return n + 2
        }
        return shortestDigits(value, to: p)
    }

    /// Writes a time given in whole milliseconds since the epoch as the shortest decimal that reads
    /// back as `Double(milliseconds) / 1000` (`1763869211.482`, `1763869211.5`, `1763869211.0`), which
    /// is what Swift's `description` writes for that Double while it is below 10^12 seconds.
    /// Returns nil (writing nothing) outside 0 ..< 10^15 milliseconds.
    @inline(__always)
    static func writeMilliseconds(_ milliseconds: Int64, to p: UnsafeMutablePointer<UInt8>) -> Int? {
        guard milliseconds >= 0, milliseconds < 1_000_000_000_000_000 else { return nil }
        var n = write(milliseconds / 1000, to: p)
        var fraction = milliseconds % 1000
        p[n] = 46
        n += 1
        if fraction == 0 {
            p[n] = 48
            return n + 1
        }
        var digits = 3
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        var i = n + digits
        let end = i
        while i > n {
            i -= 1
            p[i] = UInt8(48 + fraction % 10)
            fraction /= 10
        }
        return end
    }

    /// The shortest round-trip digits of a finite, non-integral (or large) Double, exactly as Swift's
    /// `description` writes them, through the Swift runtime's own formatter (the one `description`
    /// has used since Swift 4.2), without allocating a String. The formatter expects the buffer to
    /// hold ASCII zeros where it leaves digits implicit, so the scratch is zero-filled first.
    @inline(__always)
    static func shortestDigits(_ value: Double, to p: UnsafeMutablePointer<UInt8>) -> Int {
        p.update(repeating: 48, count: maxDoubleBytes)
        return Int(_swiftFloat64ToString(p, UInt(maxDoubleBytes), value, false))
    }

    /// Exact powers of ten that a Double holds exactly.
    static let powersOfTen: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// Parses a decimal number (or `nan`, `inf`, `-inf`, `infinity`, any case) from `bytes`, ignoring
    /// spaces around it; nil when it is not a number.
    public static func parseDouble(_ bytes: UnsafeRawBufferPointer) -> Double? {
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
        #if arch(x86_64)
        if let v = extendedParse(mantissa, exponent) { return negative ? -v : v }
        #endif
        return slowParse(bytes, start, end)
    }

    #if arch(x86_64)
    /// Powers of ten exact in Float80's 64-bit significand (10^27 = 2^27 · 5^27, and 5^27 < 2^64).
    static let extendedPowersOfTen: [Float80] = (0...27).map { e in
        var v: Float80 = 1
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// The 17–19 digits of most doubles (past Clinger's fast path) in x87 extended precision: the mantissa
    /// (< 10^19 < 2^64) and 10^|e| (|e| ≤ 27) are exact in a Float80, so their product or quotient is
    /// rounded once, to within half a Float80 ulp; rounding that to a Double gives the correctly rounded
    /// result unless it lies that close to a point halfway between two doubles (its 11 bits below a
    /// Double's significand near 0x400), which is then left to the standard library. Nil then, or out of
    /// range.
    static func extendedParse(_ mantissa: UInt64, _ exponent: Int) -> Double? {
        guard exponent >= -27, exponent <= 27 else { return nil }
        let m = Float80(mantissa)
        let v = exponent >= 0 ? m * extendedPowersOfTen[exponent] : m / extendedPowersOfTen[-exponent]
        let below = v.significandBitPattern & 0x7FF  // the 11 bits a Double drops (Float80 keeps 63 after the explicit one)
        guard below < 0x3FF || below > 0x401 else { return nil }
        let result = Double(v)
        return result.isFinite && result.isNormal ? result : nil
    }
    #endif

    /// The standard library's parser, for what the fast path does not cover (long mantissas, large
    /// exponents, nan/inf spellings).
    static func slowParse(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Double? {
        // Reject hexadecimal floats, which the standard library accepts but CSV readers do not (checked on
        // the bytes: String.contains walks grapheme clusters, which cost reindex a tenth of its time).
        // A NUL is refused too: the standard library's parser would stop there and read "1\u{0}2" as 1.
        if bytes[start..<end].contains(where: { $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") || $0 == 0 }) { return nil }
        let count = end - start
        guard count < 64 else {
            return Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        }
        // The digits copied to a NUL-terminated buffer on the stack, parsed where they are: the 17 digits
        // of most doubles (a loss as Python prints it) no longer make a String on the heap per value.
        var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &scratch) { buffer -> Double? in
            guard let base = buffer.baseAddress else { return nil }
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            buffer[count] = 0
            let text = base.assumingMemoryBound(to: CChar.self)
            var value = 0.0
            guard let stop = _swiftStrtodCLocale(text, &value), stop == UnsafePointer(text + count) else { return nil }
            return value
        }
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
