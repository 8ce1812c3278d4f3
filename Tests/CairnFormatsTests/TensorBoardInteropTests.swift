import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing

/// An event file written by Cairn, read by the real `tensorboard` package's EventAccumulator: every
/// tag, step, wall time and float32 value comes back exactly. Fails (does not skip) when Python or
/// tensorboard is missing.
@Suite struct TensorBoardInteropTests {
    static let script = #"""
    import json, math, sys
    from tensorboard.backend.event_processing import event_accumulator as ea
    acc = ea.EventAccumulator(sys.argv[1], size_guidance={ea.SCALARS: 0})
    acc.Reload()
    def enc(v):
        if math.isnan(v): return "nan"
        if math.isinf(v): return "inf" if v > 0 else "-inf"
        return v
    out = {}
    for tag in acc.Tags()["scalars"]:
        out[tag] = [[e.step, enc(e.value), e.wall_time] for e in acc.Scalars(tag)]
    print(json.dumps({"scalars": out, "tensors": acc.Tags()["tensors"]}))
    """#

    /// Several tags, 1000 steps from 0, with NaN, ±inf, -0.0, tiny and huge values.
    static func points() -> [MetricPoint] {
        var points: [MetricPoint] = []
        let specials: [Double] = [.nan, .infinity, -.infinity, -0.0, 1e-40, 3.4e38, 1e39, 0.1]
        for step in 0..<1000 {
            let wall = 1_700_000_000.25 + Double(step) * 0.125
            let s = Int64(step)
            points.append(MetricPoint(key: "loss/train", value: 2 * exp(-Double(step) / 300) + 0.1, step: s, epoch: step / 100, time: wall))
            points.append(MetricPoint(key: "lr", value: 1e-3 * pow(0.95, Double(step / 10)), step: s, time: wall))
            points.append(MetricPoint(key: "odd values ü/√", value: specials[step % specials.count], step: s, time: wall))
            if step % 10 == 0 {
                points.append(MetricPoint(key: "val/acc", value: Double(step) / 1000, step: s, time: wall + 0.01))
            }
        }
        return points
    }

    static func encode(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return String(v)
    }

    @Test func tensorboardReadsCairnEventFile() throws {
        let folder = try TemporaryDirectory("cairn-tb-interop")
        let points = Self.points()
        // Half through the bulk encoder, half one by one, to exercise both paths.
        var writer = EventFileWriter(wallTime: 1_700_000_000.25)
        let half = points.count / 2
        writer.appendScalars(points[..<half])
        for p in points[half...] { writer.appendScalar(tag: p.key, value: p.value, step: p.step, wallTime: p.time!) }
        let name = EventFileWriter.fileName(time: 1_700_000_000.25, host: "test-host", pid: 4242, n: 0)
        let file = folder.appending(name)
        try Data(writer.bytes).write(to: file)

        // Cairn reads back what it wrote.
        let own = EventFileReader.read(bytes: writer.bytes)
        #expect(own.damage == nil)
        #expect(own.records == points.count + 1)
        #expect(own.fileVersion == "brain.Event:2")

        let result = try TestPython.run(Self.script, [file.path])
        try #require(result.status == 0, "python with tensorboard failed (python: \(TestPython.executable)): \(result.stderr)")
        let json = try ConfigJSON.parse(result.stdout, fileName: "stdout")
        let scalars = try #require(json.mappingValue?["scalars"]?.mappingValue)
        #expect(json.mappingValue?["tensors"] == .list([]))

        var byTag: [String: [MetricPoint]] = [:]
        for p in points { byTag[p.key, default: []].append(p) }
        #expect(scalars.keys.sorted() == byTag.keys.sorted())
        for (tag, expected) in byTag {
            guard case .list(let events)? = scalars[tag] else {
                Issue.record("tensorboard did not find \(tag)")
                continue
            }
            #expect(events.count == expected.count, "\(tag)")
            for (event, point) in zip(events, expected) {
                guard case .list(let fields) = event, fields.count == 3 else {
                    Issue.record("bad event \(event)")
                    continue
                }
                #expect(fields[0] == .int(point.step), "\(tag)")
                let want = Double(Float(point.value))
                let got: String
                switch fields[1] {
                case .float(let d): got = Self.encode(d)
                case .int(let i): got = Self.encode(Double(i))
                case .string(let s): got = s
                default: got = "\(fields[1])"
                }
                #expect(got == Self.encode(want), "\(tag) step \(point.step)")
                if case .float(let d) = fields[1], want == 0 { #expect(d.sign == want.sign, "\(tag) sign of zero") }
                #expect(fields[2] == .float(point.time!), "\(tag) wall time")
            }
        }
    }
}
