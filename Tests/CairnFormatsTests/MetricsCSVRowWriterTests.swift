import CairnCore
import CairnFormats
import Foundation
import CairnTestSupport
import Testing

/// The fast row writer writes exactly what `MetricsCSV.appendRow` writes, with Swift's own
/// shortest round-trip text for every Double, and reads back to the same points.
@Suite struct MetricsCSVRowWriterTests {
    static func row(_ point: MetricPoint) -> String {
        var out: [UInt8] = []
        MetricsCSV.appendRow(point, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func expected(_ point: MetricPoint) -> String {
        func text(_ v: Double) -> String {
            if v.isNaN { return "nan" }
            if v.isInfinite { return v < 0 ? "-inf" : "inf" }
            return v.description
        }
        let key = point.key.isEmpty || point.key.contains(where: { ",\"\n\r".contains($0) })
            ? "\"" + point.key.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : point.key
        return "\(point.time.map(text) ?? ""),\(point.step),\(point.epoch.map(String.init) ?? ""),\(key),\(text(point.value))\n"
    }

    @Test func rowsMatchSwiftsOwnNumberText() {
        var rng = SeededGenerator(seed: 42)
        let writer = MetricsCSVRowWriter(capacity: 300)
        var points: [MetricPoint] = []
        let specials: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1, 3, 1e15, 1e16, 123_456_789_012_345_680,
                                  0.1, 1e-5, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -2.5, 1e-300]
        let keys = ["loss", "val/acc", "a,b", "say \"hi\"", "", "ü√"]
        for i in 0..<200_000 {
            let value: Double
            switch i % 4 {
            case 0: value = Double(bitPattern: rng.next())
            case 1: value = Double(rng.next() >> 11) / Double(1 << 53)
            case 2: value = specials[i % specials.count]
            default: value = Double(Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())))
            }
            // Times on a millisecond (the logger's clock), and arbitrary ones.
            let time: Double? = switch i % 5 {
            case 0: nil
            case 1: Double(Int64(rng.next() % 2_000_000_000_000)) / 1000
            case 2: Double(Int64(rng.next() % 1_000_000_000_000_000)) / 1000
            case 3: Double(i) / 1000
            default: Double(bitPattern: rng.next() >> 2)
            }
            let step = Int64(bitPattern: rng.next()) >> Int64(rng.next() % 64)
            let epoch: Int? = i % 3 == 0 ? nil : Int(truncatingIfNeeded: rng.next() % 100_000) - 10
            points.append(MetricPoint(key: keys[i % keys.count], value: value, step: step, epoch: epoch, time: time))
        }
        var all = ""
        for point in points {
            let expected = Self.expected(point)
            #expect(Self.row(point) == expected)
            writer.appendRow(time: point.time, step: point.step, epoch: point.epoch,
                             keyField: MetricsCSVRowWriter.keyField(point.key), value: point.value)
            all += expected
        }
        let written = writer.withBytes { String(decoding: $0, as: UTF8.self) }
        #expect(written == all)
        let decoded = try? MetricsCSV.decode(Array((MetricsCSV.header + "\n" + written).utf8), path: "rows.csv")
        #expect(decoded?.points == points)
        writer.removeAll()
        #expect(writer.count == 0)
    }
}
