/// Comparisons of metric dictionaries that hold NaN.
enum MetricValues {
    /// Equal keys with equal values, NaN equal to NaN.
    static func equal(_ a: [String: Double], _ b: [String: Double]) -> Bool {
        guard a.count == b.count else { return false }
        for (key, x) in a {
            guard let y = b[key] else { return false }
            if x.isNaN ? !y.isNaN : x != y { return false }
        }
        return true
    }
}
