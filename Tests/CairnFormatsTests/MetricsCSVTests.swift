import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing

/// The long-form metrics CSV (write, read, torn tails), the wide form of seed 002, and summaries.
@Suite struct MetricsCSVTests {
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func headerAndRowsAreExact() {
        #expect(MetricsCSV.header == "time,step,epoch,key,value")
        let points = [
            MetricPoint(key: "val/loss", value: 0.2314, step: 1200, epoch: 3, time: 1_763_869_211.482),
            MetricPoint(key: "lr", value: 1e-05, step: 0, time: 1_763_869_211.5),
            MetricPoint(key: "a,b", value: .nan, step: -3),
            MetricPoint(key: "say \"hi\"", value: .infinity, step: 7, epoch: 0),
            MetricPoint(key: "two\nlines", value: -.infinity, step: 8),
            MetricPoint(key: "", value: 3, step: 9),
            MetricPoint(key: "ü", value: -0.0, step: 10),
        ]
        let expected = #"""
            time,step,epoch,key,value
            1763869211.482,1200,3,val/loss,0.2314
            1763869211.5,0,,lr,1e-05
            ,-3,,"a,b",nan
            ,7,0,"say ""hi""",inf
            ,8,,"two
            lines",-inf
            ,9,,"",3.0
            ,10,,ü,-0.0

            """#
        #expect(Self.text(MetricsCSV.encode(points)) == expected)
        #expect(Self.text(MetricsCSV.encodeRows(points[..<1])) == "1763869211.482,1200,3,val/loss,0.2314\n")
    }

    static func randomPoints(count: Int, seed: UInt64) -> [MetricPoint] {
        var state = seed
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
        let keys = ["loss", "val/acc", "a,b", "q\"uote", "multi\nline\r\nkey", "日本語/損失", "🙂", " spaced ", "NA", "x", "1"]
        let specials: [Double] = [.nan, .infinity, -.infinity, -0.0, 0, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
                                  0.1 + 0.2, 1e-300, 123_456_789_012_345_680, 1e15, 1e16, 9_007_199_254_740_992, 0x1p-1074, 2.5e-308]
        return (0..<count).map { i in
            let r = next()
            let value: Double = r % 5 == 0 ? specials[Int(r >> 8) % specials.count]
                : Double(bitPattern: next() & 0x7FEF_FFFF_FFFF_FFFF) * (r % 2 == 0 ? 1 : -1)
            let step: Int64 = i == 0 ? .max : i == 1 ? .min : Int64(i * 7)
            return MetricPoint(key: keys[Int(r >> 16) % keys.count], value: value, step: step,
                               epoch: r % 3 == 0 ? nil : Int(r >> 40) % 1000,
                               time: r % 7 == 0 ? nil : 1_700_000_000 + Double(i) * 0.001 + Double(r % 1000) / 1e6)
        }
    }

    @Test func roundTripIsExact() throws {
        let points = Self.randomPoints(count: 5000, seed: 42)
        let bytes = MetricsCSV.encode(points)
        let decoded = try MetricsCSV.decode(bytes, path: "metrics.csv")
        #expect(decoded.form == .long)
        #expect(!decoded.tornTail)
        #expect(decoded.validBytes == bytes.count)
        #expect(decoded.points.count == points.count)
        for (got, want) in zip(decoded.points, points) {
            #expect(got == want)
            #expect(got.value.bitPattern == want.value.bitPattern || want.value.isNaN, "\(want)")
        }
    }

    @Test func numbersOtherToolsWriteAreRead() throws {
        let csv = "time,step,epoch,key,value\r\n 1.5 ,+3, 2 ,k,7.5e-05\r\n,4.0,,k,1E3\n,5,,k,.5\n,6,,k,5.\n,7,,k,NaN\n,8,,k,-Infinity\n,9,,k,\n\n,10,,k,0.30000000000000004\n"
        let decoded = try MetricsCSV.decode(Array(csv.utf8), path: "m.csv")
        let values = decoded.points.map(\.value)
        #expect(decoded.points.map(\.step) == [3, 4, 5, 6, 7, 8, 9, 10])
        #expect(values[0] == 7.5e-05 && values[1] == 1000 && values[2] == 0.5 && values[3] == 5)
        #expect(values[4].isNaN && values[5] == -.infinity && values[6].isNaN)  // an empty value is NaN
        #expect(values[7] == 0.1 + 0.2)
        #expect(decoded.points[0].time == 1.5 && decoded.points[0].epoch == 2)
        #expect(!decoded.tornTail)
    }

    @Test func tornLastLineIsIgnored() throws {
        let points = Self.randomPoints(count: 40, seed: 7)
        let whole = MetricsCSV.encode(points)
        let withoutLast = MetricsCSV.encode(points.dropLast())
        // Every cut inside the last row (which may span lines inside quotes).
        for end in withoutLast.count..<whole.count {
            let decoded = try MetricsCSV.decode(Array(whole[..<end]), path: "m.csv")
            #expect(decoded.points == Array(points.dropLast()), "cut at \(end)")
            #expect(decoded.validBytes == withoutLast.count)
            #expect(decoded.tornTail == (end > withoutLast.count))
        }
        // An appender truncates to validBytes and appends: the file is whole again.
        let torn = Array(whole[..<(whole.count - 3)])
        let decoded = try MetricsCSV.decode(torn, path: "m.csv")
        let repaired = Array(torn[..<decoded.validBytes]) + MetricsCSV.encodeRows(points.suffix(1))
        #expect(repaired == whole)
    }

    @Test func emptyAndPartialHeader() throws {
        var decoded = try MetricsCSV.decode([], path: "m.csv")
        #expect(decoded.points.isEmpty && decoded.validBytes == 0 && !decoded.tornTail)
        decoded = try MetricsCSV.decode(Array("time,st".utf8), path: "m.csv")
        #expect(decoded.points.isEmpty && decoded.validBytes == 0 && decoded.tornTail)
        decoded = try MetricsCSV.decode(MetricsCSV.encodeHeader(), path: "m.csv")
        #expect(decoded.points.isEmpty && decoded.validBytes == 26 && !decoded.tornTail && decoded.form == .long)
        decoded = try MetricsCSV.decode([0xEF, 0xBB, 0xBF] + MetricsCSV.encode([MetricPoint(key: "k", value: 1, step: 1)]), path: "m.csv")
        #expect(decoded.points == [MetricPoint(key: "k", value: 1, step: 1)])
    }

    @Test func damagedCompleteLineIsAnError() {
        let csv = "time,step,epoch,key,value\n,1,,k,1.0\n,2,,k,oops\n,3,,k,3.0\n"
        #expect {
            try MetricsCSV.decode(Array(csv.utf8), path: "run/metrics.csv")
        } throws: { error in
            let e = error as? CairnError
            return e?.kind == .corrupt && e?.message.hasPrefix("run/metrics.csv:3:") == true
        }
        let short = "time,step,epoch,key,value\n,1,,k\n"
        #expect(throws: CairnError.self) { try MetricsCSV.decode(Array(short.utf8), path: "m.csv") }
        let unknown = "epoch,loss\n1,0.5\n"
        #expect {
            try MetricsCSV.decode(Array(unknown.utf8), path: "m.csv")
        } throws: { error in
            (error as? CairnError)?.kind == .unsupportedFormat
        }
    }

    // MARK: Wide CSVs (seed 002)

    struct WideFile {
        var path: String
        var rows: Int
        var columns: [String]
    }

    /// The metrics CSVs of the pretrain-finetune example, with the row counts MANIFEST.json records.
    static func seed002Files() throws -> [WideFile] {
        let example = PackagePaths.shared.appendingPathComponent("fixtures/layouts/example")
        let data = try Data(contentsOf: example.appendingPathComponent("MANIFEST.json"))
        let manifest = try ConfigJSON.parse(String(decoding: data, as: UTF8.self), fileName: "MANIFEST.json")
        let convention = try #require(manifest.mappingValue?["conventions"]?.mappingValue?["pretrain-finetune"]?.mappingValue)
        guard case .string(let root)? = convention["root"], case .list(let files)? = convention["files"] else {
            throw CairnError(.notFound, "no pretrain-finetune files in MANIFEST.json")
        }
        var result: [WideFile] = []
        for case .mapping(let file) in files where file["role"] == .string("metrics") {
            guard case .string(let path)? = file["path"], let fields = file["fields"]?.mappingValue,
                  case .int(let rows)? = fields["rows"], case .list(let columns)? = fields["columns"] else { continue }
            result.append(WideFile(path: example.appendingPathComponent(root).appendingPathComponent(path).path, rows: Int(rows),
                                   columns: columns.compactMap { if case .string(let s) = $0 { s } else { nil } }))
        }
        return result
    }

    @Test func readsSeed002WideCSVs() throws {
        let files = try Self.seed002Files()
        #expect(files.count == 10)
        var sawBlank = false
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file.path)))
            let decoded = try MetricsCSV.decode(bytes, path: file.path)
            let metrics = file.columns.filter { $0 != "step" && $0 != "epoch" }
            #expect(decoded.form == .wide(metrics: metrics), "\(file.path)")
            #expect(!decoded.tornTail)
            #expect(decoded.validBytes == bytes.count)
            // Rows: one distinct step per row; cells: rows × metrics minus the blank cells.
            #expect(Set(decoded.points.map(\.step)).count == file.rows, "\(file.path)")
            let lines = Self.text(bytes).split(separator: "\n").dropFirst()
            #expect(lines.count == file.rows)
            let blanks = lines.reduce(0) { n, line in n + line.split(separator: ",", omittingEmptySubsequences: false).filter(\.isEmpty).count }
            if blanks > 0 { sawBlank = true }
            #expect(decoded.points.count == file.rows * metrics.count - blanks, "\(file.path)")
            #expect(decoded.points.allSatisfy { $0.epoch != nil && $0.time == nil && $0.value.isFinite })
        }
        #expect(sawBlank, "the train grad_norm column has blank cells")

        // The first rows of mlm_small's train CSV, exactly.
        let train = try #require(files.first { $0.path.hasSuffix("pretraining/mlm_small/metrics/train/metrics.csv") })
        let decoded = try MetricsCSV.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: train.path))), path: train.path)
        #expect(Array(decoded.points.prefix(7)) == [
            MetricPoint(key: "loss", value: 3.76471, step: 50, epoch: 0),
            MetricPoint(key: "lr", value: 7.5e-05, step: 50, epoch: 0),
            MetricPoint(key: "grad_norm", value: 1.5, step: 50, epoch: 0),
            MetricPoint(key: "loss", value: 3.55556, step: 100, epoch: 0),
            MetricPoint(key: "lr", value: 0.00015, step: 100, epoch: 0),
            MetricPoint(key: "grad_norm", value: 1.25, step: 100, epoch: 0),
            MetricPoint(key: "loss", value: 3.36842, step: 150, epoch: 0),
        ])
        let at200 = decoded.points.filter { $0.step == 200 }.map(\.key)
        #expect(at200 == ["loss", "lr"])  // grad_norm is blank at step 200
    }

    @Test func wideCSVWithTimeColumnAndTornTail() throws {
        let csv = "global_step,wall_time,acc,loss\n1,1700000000.5,0.5,\n2,1700000001.5,,0.25\n3,17000"
        let decoded = try MetricsCSV.decode(Array(csv.utf8), path: "w.csv")
        #expect(decoded.form == .wide(metrics: ["acc", "loss"]))
        #expect(decoded.points == [
            MetricPoint(key: "acc", value: 0.5, step: 1, time: 1_700_000_000.5),
            MetricPoint(key: "loss", value: 0.25, step: 2, time: 1_700_000_001.5),
        ])
        #expect(decoded.tornTail)
        #expect(decoded.validBytes == csv.utf8.count - 7)
    }

    // MARK: Summaries

    @Test func summaryPerKey() throws {
        let points = [
            MetricPoint(key: "loss", value: 2, step: 0),
            MetricPoint(key: "loss", value: .nan, step: 1),
            MetricPoint(key: "loss", value: 0.5, step: 2),
            MetricPoint(key: "loss", value: 3, step: 3),
            MetricPoint(key: "loss", value: 0.5, step: 4),
            MetricPoint(key: "loss", value: 1, step: 5),
            MetricPoint(key: "acc", value: .nan, step: 9),
        ]
        let summaries = MetricSummary.summaries(of: points)
        let loss = try #require(summaries["loss"])
        #expect(loss.count == 6)
        #expect(loss.last == 1 && loss.lastStep == 5)
        #expect(loss.min == 0.5 && loss.minStep == 2)  // ties keep the first
        #expect(loss.max == 3 && loss.maxStep == 3)
        let acc = try #require(summaries["acc"])
        #expect(acc.count == 1 && acc.last.isNaN && acc.lastStep == 9 && acc.min == nil && acc.max == nil)

        // From a seed 002 wide CSV.
        let train = try #require(try Self.seed002Files().first { $0.path.hasSuffix("pretraining/mlm_small/metrics/train/metrics.csv") })
        let decoded = try MetricsCSV.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: train.path))), path: train.path)
        let wide = MetricSummary.summaries(of: decoded.points)
        #expect(wide.keys.sorted() == ["grad_norm", "loss", "lr"])
        #expect(wide["loss"]?.count == 30)
        #expect(wide["loss"]?.max == 3.76471 && wide["loss"]?.maxStep == 50)
        #expect(wide["loss"]?.lastStep == 1500)
        #expect(wide["grad_norm"].map { $0.count < 30 } == true)
    }
}
