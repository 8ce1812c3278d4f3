#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import CairnTestSupport

/// `cairn du`: experiments and runs by size, as text and as JSON; bad experiments refused.
@Suite("cairn du")
struct CLIDuTests {
    private static func write(_ count: Int, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(repeating: 1, count: count).write(to: URL(fileURLWithPath: path))
    }

    private static func size(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }

    /// Marks a run deleted in its registry entry, as MLflow's `runs/delete` through `cairn serve` does
    /// (temporary file, then rename).
    private static func deleteSoftly(_ store: CLITestStore, _ run: String, experimentID: String) throws {
        let entry = store.path + "/.cairn/experiments/\(experimentID)/runs/\(run).json"
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: entry))) as? [String: Any])
        object["lifecycle_stage"] = "deleted"
        object["deleted_at"] = "2026-12-05T00:00:00.000Z"
        let temporary = store.path + "/.cairn/experiments/\(experimentID)/runs/.tmp-\(run)"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: temporary))
        try #require(rename(temporary, entry) == 0)
    }

    /// A store with two experiments: `vision/big` has a run with two checkpoints saved with hard-link
    /// pointers (counted once), `text/small` a run with a log and a run deleted softly.
    private static func makeStore() throws -> (store: CLITestStore, big: String, small: String, gone: String) {
        let store = try CLITestStore()
        let big = try store.newRun("vision/big")
        let scratch = store.path + "-src"
        for epoch in 1...2 {
            let file = scratch + "/e\(epoch).pt"
            try write(100_000 * epoch, to: file)
            let saved = try store.cairn(["ckpt", "save", big, file, "--epoch", String(epoch), "--metric", "loss=0.\(5 - epoch)",
                                         "--monitor", "loss"], environment: ["CAIRN_POINTER_MECHANISM": "hardlink"])
            try #require(saved.status == 0, "\(saved.stderr)")
        }
        let small = try store.newRun("text/small")
        try write(3000, to: try store.output("path", small) + "/logs/training.log")
        let gone = try store.newRun("text/small")
        try write(2000, to: try store.output("path", gone) + "/metrics/train/metrics.csv")
        try deleteSoftly(store, gone, experimentID: "2")
        return (store, big, small, gone)
    }

    @Test func jsonCountsHardLinkedPointersOnce() throws {
        let (store, big, _, gone) = try Self.makeStore()
        let usage = try #require(try store.json("du", "--json") as? [String: Any])
        let runs = try #require(usage["runs"] as? [[String: Any]])
        #expect(runs.map { $0["id"] as? String }.first == big)
        let bigBytes = try #require(runs.first?["bytes"] as? [String: Any])
        let folder = try store.output("path", big)
        #expect(bigBytes["checkpoints"] as? Int == 300_000 + (try Self.size(folder + "/checkpoints.jsonl")))
        let deleted = try #require(runs.first { $0["id"] as? String == gone })
        #expect(deleted["deleted"] as? Bool == true)
        #expect((deleted["bytes"] as? [String: Any])?["metrics"] as? Int == 2000)
        let experiments = try #require(usage["experiments"] as? [[String: Any]])
        #expect(experiments.map { $0["name"] as? String } == ["vision/big", "text/small"])
        #expect(experiments[1]["runs"] as? Int == 2 && experiments[1]["deleted_runs"] as? Int == 1)
        let total = try #require(usage["total"] as? [String: Any])
        let sum = runs.reduce(0) { $0 + (($1["bytes"] as? [String: Any])?["total"] as? Int ?? 0) }
        #expect(total["total"] as? Int == sum)

        let golden = GoldenJSON()
        golden.replace(store.path, with: "$STORE")
        golden.volatileNumbers = ["checkpoints", "other", "total", "deleted_bytes"]
        try golden.check("du", try store.output("du", "--json"))
    }

    @Test func textTablesLargestFirst() throws {
        let (store, big, small, gone) = try Self.makeStore()
        let lines = try store.output("du").split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(lines)")
        #expect(lines[0].split(separator: " ", omittingEmptySubsequences: true)
                == ["EXPERIMENT", "TOTAL", "CHECKPOINTS", "LOGS", "METRICS", "ARTIFACTS", "OTHER", "RUNS"])
        #expect(lines[1].hasPrefix("vision/big ") && lines[1].contains("KiB"), "\(lines[1])")
        #expect(lines[2].hasPrefix("text/small ") && lines[2].contains("2 (1 deleted"), "\(lines[2])")
        #expect(lines[3].hasPrefix("total ") && lines[3].contains("in 3 runs of 2 experiments") && lines[3].contains("1 deleted run"),
                "\(lines[3])")

        let runs = try store.output("du", "text/small").split(separator: "\n").map(String.init)
        #expect(runs.count == 4, "\(runs)")
        #expect(runs[0].hasPrefix("RUN "))
        #expect(runs[1].hasPrefix(small) && runs[2].hasPrefix(gone) && runs[2].contains("(deleted)"), "\(runs)")
        #expect(runs[3].hasPrefix("total ") && runs[3].contains("in 2 runs"))

        let all = try store.output("du", "--runs").split(separator: "\n").map(String.init)
        #expect(all.count == 5 && all[1].hasPrefix(big) && all[0].contains("EXPERIMENT"), "\(all)")
        #expect(try store.output("du", "vision/*").split(separator: "\n").count == 3)
    }

    @Test(arguments: [["nope"], ["../vision"], ["vision/.."], ["zzz*"]])
    func aBadExperimentIsOneErrorLine(_ arguments: [String]) throws {
        let store = try CLITestStore()
        _ = try store.newRun("vision/big")
        let result = try store.cairn(["du"] + arguments)
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("cairn: error: "), "\(result.stderr)")
    }
}
