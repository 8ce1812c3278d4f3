import CairnCore

/// Sacred's times: UTC in ISO 8601 without a zone, to the microsecond (`2026-12-05T12:53:36.655225`).
enum SacredTime {
    /// Seconds since the Unix epoch, to the microsecond; nil for text of another shape.
    static func seconds(_ text: String) -> Double? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, let base = Timestamp(iso8601: whole + "Z") else { return nil }
        var fraction = 0.0
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCII), let digits = Double("0." + parts[1]) else { return nil }
            fraction = digits
        }
        return Double(base.millisecondsSinceEpoch / 1000) + fraction
    }

    /// The time as a ``Timestamp`` (to the millisecond).
    static func timestamp(_ text: String) -> Timestamp? {
        seconds(text).map { Timestamp(millisecondsSinceEpoch: Int64(($0 * 1000).rounded(.down))) }
    }
}
