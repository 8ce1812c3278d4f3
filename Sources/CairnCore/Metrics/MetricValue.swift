/// How Cairn reads a metric value written as text (command lines, clients): a decimal, or one of the
/// spellings of NaN and the infinities that Python's `float()` accepts.
public enum MetricValue {
    /// The number `text` spells, or nil (see ``problem(_:)`` for why).
    ///
    /// Accepts decimals (`0.31`, `1e-3`, `-2`, `.5`) that are finite as a 64-bit float and, in any case,
    /// `nan`, `inf`, `+inf`, `-inf`, `infinity`, `+infinity`, `-infinity`. Refuses hexadecimal (`0x10`,
    /// `0x1p3`) and decimals too large for a 64-bit float (`1e400`), which would silently become `inf`.
    public static func parse(_ text: String) -> Double? {
        switch read(text) {
        case .value(let number): number
        case .notDecimal, .outOfRange: nil
        }
    }

    /// Why `text` is not a metric value, as the end of a sentence ("is not a number"), or nil when it is one.
    public static func problem(_ text: String) -> String? {
        switch read(text) {
        case .value: nil
        case .notDecimal:
            isHexadecimal(text) ? "which is not a decimal number (hexadecimal is not accepted)" : "which is not a number"
        case .outOfRange: "which is out of the range of a 64-bit float (write inf if you mean it)"
        }
    }

    /// `0x…` or `0X…`, signed or not.
    private static func isHexadecimal(_ text: String) -> Bool {
        let unsigned = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        return unsigned.hasPrefix("0x") || unsigned.hasPrefix("0X")
    }

    private enum Reading {
        case value(Double)
        case notDecimal
        case outOfRange
    }

    private static func read(_ text: String) -> Reading {
        switch text.lowercased() {
        case "nan", "+nan", "-nan": return .value(.nan)
        case "inf", "+inf", "infinity", "+infinity": return .value(.infinity)
        case "-inf", "-infinity": return .value(-.infinity)
        default: break
        }
        // Only [+-] digits [. digits] [e [+-] digits]: Double(_:) also reads hexadecimal and "nan(…)".
        var sawDigit = false, sawDot = false, index = text.utf8.startIndex
        let bytes = text.utf8
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            index = bytes.index(after: index)
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                sawDigit = true
            } else if byte == UInt8(ascii: "."), !sawDot {
                sawDot = true
            } else {
                break
            }
            index = bytes.index(after: index)
        }
        guard sawDigit else { return .notDecimal }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index = bytes.index(after: index)
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index = bytes.index(after: index)
            }
            var exponentDigits = false
            while index < bytes.endIndex, bytes[index] >= 0x30 && bytes[index] <= 0x39 {
                exponentDigits = true
                index = bytes.index(after: index)
            }
            guard exponentDigits else { return .notDecimal }
        }
        guard index == bytes.endIndex, let number = Double(text) else { return .notDecimal }
        return number.isFinite ? .value(number) : .outOfRange
    }
}
