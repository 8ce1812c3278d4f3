import Foundation
import Testing
import CairnTestSupport

/// Policy flags become a policy through its typed initializer: any metric name works, quotes included.
@Suite struct CLIPolicyOptionsTests {
    @Test(arguments: ["it's", "val\"loss", "a: b", "[x]", "#1"])
    func anyMonitorName(_ name: String) throws {
        let store = try CLITestStore()
        let run = try store.newRun("policy/names")
        let scratch = try TemporaryDirectory("cairn-policy")
        for (epoch, value) in [(1, "0.5"), (2, "0.2"), (3, "0.4")] {
            let file = scratch.path + "/e\(epoch).pt"
            try Data(repeating: UInt8(epoch), count: 64).write(to: URL(fileURLWithPath: file))
            let result = try store.cairn("ckpt", "save", run, file, "--epoch", String(epoch), "--step", String(epoch),
                                         "--monitor", name, "--top-k", "1", "--metric", "\(name)=\(value)")
            try #require(result.status == 0, "\(result.stderr)")
        }
        let best = try #require(try store.json("ckpt", "best", run, "--json") as? [String: Any])
        #expect(best["epoch"] as? Int == 2, "\(best)")
        let kept = try #require(try store.json("ckpt", "ls", run, "--json") as? [[String: Any]])
        #expect(kept.compactMap { $0["epoch"] as? Int } == [2, 3], "top 1 by \(name), and the last")
    }

    @Test func keepEpochsAndStrategies() throws {
        let store = try CLITestStore()
        let run = try store.newRun("policy/lists")
        let scratch = try TemporaryDirectory("cairn-policy")
        for epoch in 1...4 {
            let file = scratch.path + "/e\(epoch).pt"
            try Data(repeating: UInt8(epoch), count: 64).write(to: URL(fileURLWithPath: file))
            try store.output("ckpt", "save", run, file, "--epoch", String(epoch), "--step", String(epoch),
                             "--save-strategy", "last", "--keep-epochs", "1, 3")
        }
        let kept = try #require(try store.json("ckpt", "ls", run, "--json") as? [[String: Any]])
        #expect(kept.compactMap { $0["epoch"] as? Int } == [1, 3, 4])
        let bad = try store.cairn("ckpt", "prune", run, "--keep-epochs", "1,x")
        #expect(bad.status != 0 && bad.stderr.contains("--keep-epochs"), "\(bad.stderr)")
    }
}
