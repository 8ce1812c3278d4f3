import Foundation
import Testing
import CairnTestSupport

@Suite struct CLIMetricTests {
    @Test func logAndShow() throws {
        let store = try CLITestStore()
        let run = try store.newRun("metrics/cli")
        try store.output("metric", "log", run, "loss=0.5", "acc=0.7", "--step", "1", "--epoch", "1")
        try store.output("metric", "log", run, "loss=0.25", "acc=nan", "--step", "2", "--epoch", "1")
        try store.output("metric", "log", run, "loss=0.4", "--step", "2", "--split", "eval")
        let summary = try #require(try store.json("metric", "show", run, "--json") as? [[String: Any]])
        let trainLoss = try #require(summary.first { $0["split"] as? String == "train" && $0["key"] as? String == "loss" })
        #expect(trainLoss["count"] as? Int == 2)
        #expect(trainLoss["min"] as? Double == 0.25 && trainLoss["min_step"] as? Int == 2)
        let acc = try #require(summary.first { $0["key"] as? String == "acc" })
        #expect(acc["last"] as? String == "nan")
        let history = try store.output("metric", "show", run, "--key", "loss", "--split", "train", "--csv")
        // Python's csv module reads the CSV and finds every point.
        let read = try TestPython.run("import sys, csv, json; print(json.dumps(list(csv.DictReader(sys.stdin))))", stdin: history + "\n")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[String: String]])
        #expect(rows.map { $0["value"] } == ["0.5", "0.25"])
        #expect(rows.map { $0["step"] } == ["1", "2"])
    }

    @Test func badInput() throws {
        let store = try CLITestStore()
        let run = try store.newRun("metrics/bad")
        let before = TreeSnapshot(store.url)
        let cases: [([String], String)] = [
            (["metric", "log", run, "loss=fast", "--step", "1"], "not a number"),
            (["metric", "log", run, "loss=1", "--step", "1", "--split", "../x"], "split name"),
            (["metric", "log", "nope", "loss=1", "--step", "1"], "no run 'nope'"),
            (["metric", "log", "loss=1", "--step", "1"], "CAIRN_RUN_ID is not set"),
        ]
        for (args, expected) in cases {
            let result = try store.cairn(args)
            #expect(result.status != 0)
            #expect(result.stderr.hasPrefix("cairn: error: ") && result.stderr.contains(expected), "\(args): \(result.stderr)")
        }
        #expect(TreeSnapshot(store.url) == before)
    }
}
