import Foundation
import Testing
import CairnTestSupport

/// `cairn.integrations` driven by stand-in trainers that replay, in order and with the same values, the
/// hook calls a real Lightning 2.6.6 and a real transformers 5.24.0 Trainer made
/// (python/tests/traces/, recorded by benchmarks/record_integration_traces.py).
@Suite("Python client: integrations")
struct PythonIntegrationTests {
    static func replay(_ tool: String, store: CLITestStore) throws -> String {
        let script = PackagePaths.root.appendingPathComponent("python/tests/replay_integrations.py").path
        let result = try TestProcess.run(TestPython.executable, [script, tool],
                                         environment: ["CAIRN_BIN": PackagePaths.cairnBinary, "CAIRN_STORE": store.path,
                                                       "CAIRN_SOCKET": nil, "CAIRN_RUN_ID": nil])
        try #require(result.status == 0, "\(tool): \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func checkpoints(_ store: CLITestStore, _ id: String) throws -> [[String: Any]] {
        try #require(try store.json("ckpt", "ls", id, "--all", "--json") as? [[String: Any]])
    }

    @Test func lightningsCheckpointsAndMetricsGoToCairn() throws {
        let store = try CLITestStore()
        let id = try Self.replay("lightning", store: store)
        // One save per epoch after validation (none during the sanity check), top 1 by val_loss kept;
        // then a resumed epoch whose validation ended without val_loss, saved at the epoch's end.
        let all = try Self.checkpoints(store, id)
        #expect(all.compactMap { $0["epoch"] as? Int } == [0, 1, 2])
        #expect(all.compactMap { $0["step"] as? Int } == [4, 8, 12])
        let kept = try #require(try store.json("ckpt", "ls", id, "--json") as? [[String: Any]])
        #expect(kept.compactMap { $0["epoch"] as? Int } == [2])
        let best = try #require(try store.json("ckpt", "best", id, "--json") as? [String: Any])
        #expect(((best["metrics"] as? [String: Any])?["val_loss"] as? Double) == 0.01)
        // The logger: every train_loss of the trace at Lightning's steps, the hyper-parameters as params.
        let losses = try #require(try store.json("metric", "show", id, "--key", "train_loss", "--json") as? [[String: Any]])
        #expect(losses.compactMap { $0["step"] as? Int } == Array(0..<8))
        let details = try #require(try store.json("run", "show", id, "--json") as? [String: Any])
        #expect(((details["params"] as? [String: Any])?["lr"] as? [String: Any])?["text"] as? String == "0.1")
        #expect(try store.cairn("ckpt", "verify", id).status == 0)
    }

    @Test func transformersCheckpointFoldersAndLogsGoToCairn() throws {
        let store = try CLITestStore()
        let id = try Self.replay("transformers", store: store)
        let all = try Self.checkpoints(store, id)
        #expect(all.compactMap { $0["step"] as? Int } == [4, 8])
        #expect(all.allSatisfy { $0["kind"] as? String == "folder" })
        let kept = try #require(try store.json("ckpt", "ls", id, "--json") as? [[String: Any]])
        #expect(kept.compactMap { $0["step"] as? Int } == [8])
        let files = try #require(kept.first?["files"] as? [Any])
        #expect(files.count >= 6, "\(files)")   // model.safetensors, optimizer.pt, … (and Cairn's README)
        let trainLoss = try #require(try store.json("metric", "show", id, "--key", "loss", "--split", "train", "--json") as? [[String: Any]])
        #expect(trainLoss.count == 8)
        let evalLoss = try #require(try store.json("metric", "show", id, "--key", "loss", "--split", "eval", "--json") as? [[String: Any]])
        #expect(evalLoss.compactMap { $0["step"] as? Int } == [4, 8])
        #expect(try store.cairn("ckpt", "verify", id).status == 0)
    }
}
