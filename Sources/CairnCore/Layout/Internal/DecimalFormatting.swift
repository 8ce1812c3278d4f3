/// Formatting of Doubles with a fixed number of decimals, correctly rounded (half to even on the exact
/// binary value, as C's `printf("%.4f")` and Python's `f"{x:.4f}"` do), without Foundation.
enum DecimalFormatting {
    /// `value` with exactly `decimals` digits after the point (no point when `decimals` is 0).
    /// A negative value that rounds to zero keeps its sign (`-0.0000`), as C and Python print it.
    static func fixed(_ value: Double, decimals: Int) -> String {
        precondition(value.isFinite && decimals >= 0)
        var digits = "0"
        let magnitude = value.magnitude
        if magnitude != 0 {
            let bits = magnitude.bitPattern
            let exponentBits = Int((bits >> 52) & 0x7FF)
            let fraction = bits & ((1 << 52) - 1)
            let significand = exponentBits == 0 ? fraction : fraction | (1 << 52)
            let exponent = exponentBits == 0 ? -1074 : exponentBits - 1075
            var number = BigUInt(significand)
            for _ in 0..<decimals { number.multiply(by: 10) }
            if exponent >= 0 {
                number.shiftLeft(exponent)
            } else {
                number.shiftRightRoundingHalfEven(-exponent)
            }
            digits = number.decimalString
        }
        if decimals > 0 {
            if digits.utf8.count <= decimals {
                digits = String(repeating: "0", count: decimals + 1 - digits.utf8.count) + digits
            }
            let split = digits.index(digits.endIndex, offsetBy: -decimals)
            digits = digits[..<split] + "." + digits[split...]
        }
        return value.sign == .minus ? "-" + digits : digits
    }
}

/// Just enough of an unsigned big integer for ``DecimalFormatting``: little-endian 32-bit limbs.
private struct BigUInt {
    var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        trim()
    }

    mutating func trim() {
        while let last = limbs.last, last == 0 { limbs.removeLast() }
    }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let product = UInt64(limbs[i]) * UInt64(factor) + carry
            limbs[i] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { limbs.append(UInt32(carry)) }
    }

    mutating func shiftLeft(_ bits: Int) {
        guard bits > 0, !limbs.isEmpty else { return }
        let words = bits / 32, rest = bits % 32
        if rest != 0 {
            var carry: UInt32 = 0
            for i in limbs.indices {
                let limb = limbs[i]
                limbs[i] = (limb << rest) | carry
                carry = limb >> (32 - rest)
            }
            if carry != 0 { limbs.append(carry) }
        }
        limbs.insert(contentsOf: repeatElement(0, count: words), at: 0)
    }

    func bit(_ index: Int) -> Bool {
        let word = index / 32
        return word < limbs.count && (limbs[word] >> (index % 32)) & 1 == 1
    }

    func anyBit(below index: Int) -> Bool {
        let words = index / 32
        for i in 0..<min(words, limbs.count) where limbs[i] != 0 { return true }
        let rest = index % 32
        return rest != 0 && words < limbs.count && limbs[words] & ((1 << rest) - 1) != 0
    }

    /// Divides by 2^bits, rounding half to even.
    mutating func shiftRightRoundingHalfEven(_ bits: Int) {
        let half = bit(bits - 1)
        let sticky = bits > 1 && anyBit(below: bits - 1)
        let words = bits / 32, rest = bits % 32
        if words >= limbs.count {
            limbs = []
        } else {
            limbs.removeFirst(words)
            if rest != 0 {
                for i in limbs.indices {
                    let next = i + 1 < limbs.count ? limbs[i + 1] : 0
                    limbs[i] = (limbs[i] >> rest) | (next << (32 - rest))
                }
            }
            trim()
        }
        if half && (sticky || bit(0)) { addOne() }
    }

    mutating func addOne() {
        for i in limbs.indices {
            if limbs[i] == UInt32.max { limbs[i] = 0 } else { limbs[i] += 1; return }
        }
        limbs.append(1)
    }

    var decimalString: String {
        if limbs.isEmpty { return "0" }
        var chunks: [UInt32] = []
        var work = limbs
        while !work.isEmpty {
            var remainder: UInt64 = 0
            for i in work.indices.reversed() {
                let current = (remainder << 32) | UInt64(work[i])
                work[i] = UInt32(current / 1_000_000_000)
                remainder = current % 1_000_000_000
            }
            chunks.append(UInt32(remainder))
            while let last = work.last, last == 0 { work.removeLast() }
        }
        var text = String(chunks.removeLast())
        for chunk in chunks.reversed() { text += String(chunk).leftPadded(to: 9) }
        return text
    }
}
