import Testing
import CairnTestSupport
@testable import CairnCore

/// A summary of points logged later, merged into the summary of the earlier ones, is the summary of
/// all of them added one by one: the count, the last point, the extremes (ties keep the first, NaN
/// ignored) and the value at the highest step (the later of equal steps).
@Suite struct MetricSummaryMergeTests {
    @Test func mergingLaterPointsIsAddingThemOneByOne() {
        var random = SeededGenerator(seed: 61)
        let values: [Double] = [.nan, 0, -0.0, 1, 1, -1, 2.5, .infinity, -.infinity]
        for _ in 0..<2_000 {
            let count = Int(random.next() % 12) + 2
            let points = (0..<count).map { _ in
                MetricPoint(key: "loss", value: random.next() % 3 == 0 ? values[Int(random.next() % UInt64(values.count))]
                                                                       : Double(Int(random.next() % 7)) / 2,
                            step: Int64(random.next() % 6))
            }
            var sequential = MetricSummary(points[0])
            for point in points.dropFirst() { sequential.add(point) }
            let cut = Int(random.next() % UInt64(count - 1)) + 1
            var earlier = MetricSummary(points[0])
            for point in points[1..<cut] { earlier.add(point) }
            var later = MetricSummary(points[cut])
            for point in points[(cut + 1)...] { later.add(point) }
            earlier.merge(later)
            #expect(Self.same(earlier, sequential), "\(points.map { "\($0.step):\($0.value)" }) cut at \(cut)")
        }
    }

    /// Equal, with NaN equal to NaN and -0.0 told from 0.0.
    static func same(_ a: MetricSummary, _ b: MetricSummary) -> Bool {
        func same(_ x: Double?, _ y: Double?) -> Bool {
            switch (x, y) {
            case (nil, nil): true
            case let (x?, y?): x.isNaN ? y.isNaN : x == y && x.sign == y.sign
            default: false
            }
        }
        return a.key == b.key && a.count == b.count && same(a.last, b.last) && a.lastStep == b.lastStep && same(a.min, b.min)
            && a.minStep == b.minStep && same(a.max, b.max) && a.maxStep == b.maxStep && a.highestStep == b.highestStep
            && same(a.valueAtHighestStep, b.valueAtHighestStep)
    }
}
