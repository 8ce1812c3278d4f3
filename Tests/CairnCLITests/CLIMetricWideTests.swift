import Foundation
import Testing
import CairnTestSupport

/// `cairn metric show` on wide CSVs like seed 002's (`step,epoch,loss,lr,…`): the same summary,
/// history, --csv and --json as for Cairn's long form, checked against pandas reading the same file.
@Suite struct CLIMetricWideTests {
    static let fixture = PackagePaths.shared.appendingPathComponent(
        "fixtures/layouts/example/pretrain-finetune/experiments/pretraining/mlm_small/metrics")

    /// A run of a native store whose metrics are copies of the fixture's wide CSVs (never edited in place).
    func wideRun() throws -> (CLITestStore, String, String) {
        let store = try CLITestStore()
        let run = try store.newRun("pretraining/mlm_small")
        let folder = try store.output("path", run)
        for split in ["train", "eval"] {
            let target = URL(fileURLWithPath: folder).appendingPathComponent("metrics/\(split)")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: Self.fixture.appendingPathComponent("\(split)/metrics.csv"),
                                             to: target.appendingPathComponent("metrics.csv"))
        }
        return (store, run, folder)
    }

    @Test func showSummarisesWideCSVsAsPandasDoes() throws {
        let (store, run, folder) = try wideRun()
        let summary = try #require(try store.json("metric", "show", run, "--json") as? [[String: Any]])
        let script = """
            import sys, json, pandas as pd
            out = []
            for split in ["eval", "train"]:
                df = pd.read_csv(f"{sys.argv[1]}/metrics/{split}/metrics.csv")
                for key in sorted(c for c in df.columns if c not in ("step", "epoch")):
                    s = df[["step", key]].dropna()
                    out.append({"split": split, "key": key, "count": len(s), "last": float(s[key].iloc[-1]),
                                "last_step": int(s["step"].iloc[-1]), "min": float(s[key].min()),
                                "min_step": int(s["step"][s[key].idxmin()]), "max": float(s[key].max()),
                                "max_step": int(s["step"][s[key].idxmax()])})
            print(json.dumps(out))
            """
        let pandas = try TestPython.run(script, [folder])
        try #require(pandas.status == 0, "python: \(pandas.stderr)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(pandas.stdout.utf8)) as? [[String: Any]])
        #expect(summary.count == 6)
        #expect(summary.count == expected.count)
        for (got, want) in zip(summary, expected) {
            for field in ["split", "key"] { #expect(got[field] as? String == want[field] as? String) }
            for field in ["count", "last_step", "min_step", "max_step"] { #expect(got[field] as? Int == want[field] as? Int, "\(field): \(got)") }
            for field in ["last", "min", "max"] { #expect(got[field] as? Double == want[field] as? Double, "\(field): \(got)") }
        }
        let table = try store.output("metric", "show", run)
        #expect(table.contains("grad_norm") && table.contains("perplexity"))

        // The history of one key, as a table, as CSV (Cairn's long form; no times in the source) and as JSON.
        let history = try store.output("metric", "show", run, "--key", "loss", "--split", "eval")
        #expect(history.contains("2.58462") && history.contains("1500"))
        let csv = try store.output("metric", "show", run, "--key", "loss", "--split", "eval", "--csv")
        #expect(csv == "time,step,epoch,key,value\n,500,0,loss,2.58462\n,1000,1,loss,1.86667\n,1500,2,loss,1.46087")
        let json = try #require(try store.json("metric", "show", run, "--key", "accuracy", "--json") as? [[String: Any]])
        #expect(json.map { $0["step"] as? Int } == [500, 1000, 1500])
        #expect(json.first?["epoch"] as? Int == 0)
    }

    @Test func loggingToAWideSplitIsRefusedAndChangesNothing() throws {
        let (store, run, folder) = try wideRun()
        let before = TreeSnapshot(store.url)
        let result = try store.cairn("metric", "log", run, "loss=0.5", "--step", "1600")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("cairn: error: ") && result.stderr.contains("not a long-form metrics CSV"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(TreeSnapshot(store.url) == before)
        // Another split is Cairn's own long form, beside the wide ones.
        try store.output("metric", "log", run, "loss=0.5", "--step", "1600", "--split", "test")
        #expect(FileManager.default.fileExists(atPath: folder + "/metrics/test/metrics.csv"))
        let summary = try #require(try store.json("metric", "show", run, "--json") as? [[String: Any]])
        #expect(summary.count == 7)
    }
}
