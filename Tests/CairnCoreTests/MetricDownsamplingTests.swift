import Testing
import CairnTestSupport
import CairnCore

/// Metric series reduced for charts, on generated series (NaN, resumed steps, sizes around the bucket
/// count): every point lands in one bucket, in step order, and every extreme survives.
@Suite struct MetricDownsamplingTests {
    @Test func bucketsKeepEveryPointAndEveryExtreme() {
        var random = SeededGenerator(seed: 22)
        for _ in 0..<500 {
            let count = Int(random.next() % 300)
            var points: [MetricPoint] = []
            for index in 0..<count {
                let value = random.next() % 17 == 0 ? Double.nan : Double(Int(random.next() % 2000) - 1000) / 10
                // Resumed runs log lower steps again later.
                let step = random.next() % 13 == 0 ? Int64(random.next() % UInt64(max(1, index))) : Int64(index)
                points.append(MetricPoint(key: "loss", value: value, step: step))
            }
            let wanted = Int(random.next() % 40) + 1
            let buckets = MetricDownsampling.buckets(points, count: wanted)
            #expect(buckets.count == min(wanted, count))
            #expect(buckets.reduce(0) { $0 + $1.count } == count)
            #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.lastStep <= $1.step })
            #expect(buckets.allSatisfy { $0.step <= $0.lastStep })
            let values = points.map(\.value).filter { !$0.isNaN }
            #expect(buckets.compactMap(\.min).min() == values.min())
            #expect(buckets.compactMap(\.max).max() == values.max())
        }
    }
}
