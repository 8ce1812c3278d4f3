import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing

/// Cairn's long CSV read by pandas (`pandas.read_csv`), or by Python's `csv` module when pandas is not
/// installed: every point comes back with the same time, step, epoch, key and value.
@Suite struct MetricsCSVInteropTests {
    static let script = #"""
    import csv, json, math, sys
    path = sys.argv[1]
    def enc(v):
        if v is None: return None
        v = float(v)
        if math.isnan(v): return "nan"
        if math.isinf(v): return "inf" if v > 0 else "-inf"
        return v
    try:
        import pandas as pd
    except ImportError:
        pd = None
    rows = []
    if pd is not None:
        reader = "pandas " + pd.__version__
        # Keys are text even when they look like numbers or NA markers; empty cells are missing.
        df = pd.read_csv(path, dtype={"key": str}, keep_default_na=False,
                         na_values={"time": [""], "epoch": [""], "value": ["", "nan"]})
        assert list(df.columns) == ["time", "step", "epoch", "key", "value"], list(df.columns)
        assert str(df["value"].dtype) == "float64" and str(df["step"].dtype) == "int64", df.dtypes
        for t, s, e, k, v in df.itertuples(index=False):
            rows.append([None if pd.isna(t) else enc(t), int(s), None if pd.isna(e) else int(e), k, enc(v)])
        # The plain call also reads the numbers.
        plain = pd.read_csv(path)
        assert str(plain["value"].dtype) == "float64"
        plain_values = [enc(v) for v in plain["value"]]
        assert plain_values == [r[4] for r in rows], "plain read_csv differs"
    else:
        reader = "csv"
        with open(path, newline="", encoding="utf-8") as f:
            r = csv.reader(f)
            assert next(r) == ["time", "step", "epoch", "key", "value"]
            for t, s, e, k, v in r:
                rows.append([enc(t) if t else None, int(s), int(e) if e else None, k, enc(v)])
    print(json.dumps({"reader": reader, "rows": rows}))
    """#

    static func enc(_ v: Double) -> ConfigValue {
        if v.isNaN { return .string("nan") }
        if v.isInfinite { return .string(v > 0 ? "inf" : "-inf") }
        return .float(v)
    }

    @Test func pythonReadsCairnCSV() throws {
        let folder = try TemporaryDirectory("cairn-csv-interop")
        let keys = ["loss", "val/acc", "a,b", "say \"hi\"", "two\nlines", "日本語/損失", "🙂", "NA", "null", "1", " spaced "]
        let specials: [Double] = [.nan, .infinity, -.infinity, 0.1 + 0.2, 1e-300, 0x1p-1074, .greatestFiniteMagnitude, 1e-05, 3, -2.5]
        var points: [MetricPoint] = []
        for i in 0..<600 {
            let value = i % 3 == 0 ? specials[(i / 3) % specials.count] : sin(Double(i)) * pow(10, Double(i % 40 - 20))
            points.append(MetricPoint(key: keys[i % keys.count], value: value, step: Int64(i) * 3 - 5,
                                      epoch: i % 4 == 0 ? nil : i / 50,
                                      time: i % 9 == 0 ? nil : 1_700_000_000.25 + Double(i) * 0.001))
        }
        let file = folder.appending("metrics.csv")
        try Data(MetricsCSV.encode(points)).write(to: file)

        let result = try TestPython.run(Self.script, [file.path])
        try #require(result.status == 0, "python failed (python: \(TestPython.executable)): \(result.stderr)")
        let json = try ConfigJSON.parse(result.stdout, fileName: "stdout")
        let reader = json.mappingValue?["reader"]
        print("metrics CSV read by \(reader.map { "\($0)" } ?? "?")")
        guard case .list(let rows)? = json.mappingValue?["rows"] else {
            Issue.record("no rows in \(result.stdout.prefix(200))")
            return
        }
        #expect(rows.count == points.count)
        for (row, point) in zip(rows, points) {
            let want: ConfigValue = .list([
                point.time.map { .float($0) } ?? .null,
                .int(point.step),
                point.epoch.map { .int(Int64($0)) } ?? .null,
                .string(point.key),
                Self.enc(point.value),
            ])
            #expect(Self.normalized(row) == want, "\(point)")
        }
    }

    /// JSON has no int/float distinction for whole floats: Python prints `3.0`, which reads as a float,
    /// but make sure an int in a float column compares as a float.
    static func normalized(_ row: ConfigValue) -> ConfigValue {
        guard case .list(var items) = row, items.count == 5 else { return row }
        for i in [0, 4] { if case .int(let n) = items[i] { items[i] = .float(Double(n)) } }
        return .list(items)
    }
}
