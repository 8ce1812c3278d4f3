/// An SQL `LIKE` pattern as MLflow and the index read it: `%` matches any text (empty too), `_` any one
/// character, everything else itself; no escape character. With `foldingCase` (ILIKE) ASCII letters
/// match either case, as SQLite's `lower()` folds them.
public struct LikePattern: Sendable {
    private let pattern: [Unicode.Scalar]
    private let foldingCase: Bool

    /// A pattern.
    public init(_ pattern: String, foldingCase: Bool) {
        self.foldingCase = foldingCase
        self.pattern = pattern.unicodeScalars.map { foldingCase ? Self.lower($0) : $0 }
    }

    /// True when the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        let text = text.unicodeScalars.map { foldingCase ? Self.lower($0) : $0 }
        // The classic wildcard walk: on a mismatch, go back to the last `%` and let it take one more
        // character. Linear space, O(n·m) time at worst.
        var t = 0, p = 0, starP = -1, starT = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "_" || (pattern[p] != "%" && pattern[p] == text[t]) {
                t += 1
                p += 1
            } else if p < pattern.count, pattern[p] == "%" {
                starP = p
                starT = t
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "%" { p += 1 }
        return p == pattern.count
    }

    private static func lower(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        scalar >= "A" && scalar <= "Z" ? Unicode.Scalar(scalar.value + 32)! : scalar
    }
}
