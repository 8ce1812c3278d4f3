extension CompiledTemplate {
    /// How many `/` a path this template matches can hold: the fewest and the most (nil: no limit, a
    /// `:path` or time field can hold any number).
    var slashRange: (min: Int, max: Int?) {
        var index = 0
        var low = 0, high: Int? = 0
        while index < segments.count {
            switch segments[index] {
            case .group(let group):
                // An alternative or nothing.
                var groupHigh: Int? = 0
                for alternative in group.alternatives {
                    let (_, altHigh) = Self.slashes(in: alternative, segments)
                    if let current = groupHigh { groupHigh = altHigh.map { max(current, $0) } }
                }
                high = high.flatMap { h in groupHigh.map { h + $0 } }
                index = group.end
                continue
            case .jump(let target):
                index = target
                continue
            default:
                let (segmentLow, segmentHigh) = Self.slashes(in: index..<(index + 1), segments)
                low += segmentLow
                high = high.flatMap { h in segmentHigh.map { h + $0 } }
            }
            index += 1
        }
        return (low, high)
    }

    /// The fewest and most `/` the literals and fields of `range` (no optional segment inside) hold.
    private static func slashes(in range: Range<Int>, _ segments: [Segment]) -> (Int, Int?) {
        var low = 0, high: Int? = 0
        for index in range {
            switch segments[index] {
            case .literal(let bytes):
                let count = bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }
                low += count
                high = high.map { $0 + count }
            case .field(_, _, let spec):
                switch spec {
                case .path, .time: high = nil
                case .string, .int, .fixed, .shortestFloat, .number, .ext: break
                }
            case .group, .jump:
                high = nil
            }
        }
        return (low, high)
    }
}
