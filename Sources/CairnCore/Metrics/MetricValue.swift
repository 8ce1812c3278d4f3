/// How Cairn reads a metric value written as text (command lines, clients): a decimal, or one of the
/// spellings of NaN and the infinities that Python's `float()` accepts.
public enum MetricValue {
    /// The number `text` spells, or nil.
    ///
    /// Accepts what `Double(_:)` reads (`0.31`, `1e-3`, `-2`) and, in any case, `nan`, `inf`, `+inf`,
    /// `-inf`, `infinity`, `+infinity`, `-infinity`.
    public static func parse(_ text: String) -> Double? {
        switch text.lowercased() {
        case "nan", "+nan", "-nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default:
            // Double("nan") and Double("0x1p3") read forms the cases above do not mean to accept.
            guard let first = text.unicodeScalars.first, "0123456789+-.".unicodeScalars.contains(first),
                  !text.lowercased().contains("x") else { return nil }
            return Double(text)
        }
    }
}
