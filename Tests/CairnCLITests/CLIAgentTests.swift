import Foundation
import Testing
import CairnTestSupport

/// `cairn agent` spoken to directly: each request answered in order, a bad one with one clear error and
/// the connection going on, and a client that leaves without finishing leaves its run KILLED.
@Suite("cairn agent")
struct CLIAgentTests {
    static func answers(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func badRequestsAreAnsweredAndTheSessionGoesOn() throws {
        let store = try CLITestStore()
        let input = [
            #"{"id": 1, "op": "log", "entries": []}"#,
            "this is not json",
            #"{"id": 2, "op": "hello", "protocol": 1, "pid": 1, "init": {"experiment": "agent/direct", "config": {"lr": 0.1}}}"#,
            #"{"id": 3, "op": "fly"}"#,
            #"{"id": 4, "op": "log", "entries": [[{"loss": "high"}, 1, null, null]]}"#,
            #"{"id": 5, "op": "log", "entries": [[{"loss": 0.5}, 1, "train", null], [{"loss": NaN}, 2, null, null]]}"#,
            #"{"id": 6, "op": "save", "path": "/nonexistent/ckpt.pt", "epoch": 1}"#,
            #"{"id": 7, "op": "best"}"#,
            #"{"id": 8, "op": "hello", "protocol": 99}"#,
        ].joined(separator: "\n") + "\n"
        let result = try store.cairn(["agent"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        let answers = try Self.answers(result.stdout)
        try #require(answers.count == 9, "\(result.stdout)")
        func error(_ index: Int) -> String { ((answers[index]["error"] as? [String: Any])?["message"] as? String) ?? "" }
        #expect(answers[0]["ok"] as? Bool == false && error(0).contains("must be 'hello'"))
        #expect(answers[1]["ok"] as? Bool == false && error(1).contains("not valid JSON"))
        #expect(answers[2]["ok"] as? Bool == true)
        #expect(error(3).contains("does not know the request 'fly'"))
        #expect(error(4).contains("not a number"))
        #expect(answers[5]["ok"] as? Bool == true)
        #expect(error(6).contains("does not exist"))
        #expect(answers[7]["ok"] as? Bool == true && answers[7]["result"] is NSNull)
        #expect(error(8).contains("protocol 99"))
        // The client left without finishing: the run is KILLED, its points written.
        let id = try store.output("latest", "agent/direct")
        let details = try #require(try store.json("run", "show", id, "--json") as? [String: Any])
        #expect(details["status"] as? String == "KILLED")
        let points = try #require(try store.json("metric", "show", id, "--key", "loss", "--json") as? [[String: Any]])
        #expect(points.count == 2)
    }

    @Test func aClientThatSaysNothingLeavesNoRun() throws {
        let store = try CLITestStore()
        let result = try store.cairn(["agent"], stdin: "")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let runs = try #require(try store.json("run", "ls", "--json") as? [Any])
        #expect(runs.isEmpty)
    }

    /// `log_packed`: points as little-endian float64s after the line; names numbered once per connection.
    @Test func packedPointsAreLoggedAndBadOnesRefused() throws {
        let store = try CLITestStore()
        func point(_ key: Double, _ step: Double, _ value: Double, _ split: Double) -> [UInt8] {
            [key, step, 1_764_000_000.5, value, split].flatMap { number in
                withUnsafeBytes(of: number.bitPattern.littleEndian) { Array($0) }
            }
        }
        var input: [UInt8] = []
        func line(_ text: String) { input += Array((text + "\n").utf8) }
        line(#"{"id": 1, "op": "hello", "protocol": 1, "pid": 1, "init": {"experiment": "agent/packed", "tensorboard": false}}"#)
        line(#"{"id": 2, "op": "log_packed", "count": 3, "key_base": 0, "keys": ["loss", "acc"], "split_base": 1, "splits": ["eval"]}"#)
        input += point(0, 1, 0.5, 0) + point(1, 1, 0.9, 1) + point(0, 2, .nan, 0)
        line(#"{"id": 3, "op": "log_packed", "count": 1, "key_base": 5, "keys": ["x"]}"#)   // names out of order
        input += point(0, 3, 0.1, 0)
        line(#"{"id": 4, "op": "log_packed", "count": 1}"#)                                  // a name never sent
        input += point(7, 3, 0.1, 0)
        line(#"{"id": 5, "op": "log_packed", "count": 1}"#)
        input += point(0, 4, 0.25, 0)
        line(#"{"id": 6, "op": "finish"}"#)
        // Bytes that are not text: fed from a file.
        let file = store.path + "-packed.in"
        try Data(input).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let result = try TestProcess.run("/bin/sh", ["-c", "exec \"$0\" agent --store \"$1\" < \"$2\"", PackagePaths.cairnBinary, store.path, file])
        #expect(result.status == 0, "\(result.stderr)")
        let answers = try Self.answers(result.stdout)
        try #require(answers.count == 6, "\(result.stdout)")
        #expect(answers[1]["ok"] as? Bool == true)
        #expect(((answers[2]["error"] as? [String: Any])?["message"] as? String)?.contains("start at 5, not at 2") == true)
        #expect(((answers[3]["error"] as? [String: Any])?["message"] as? String)?.contains("not known numbers") == true)
        #expect(answers[4]["ok"] as? Bool == true)
        let id = try store.output("latest", "agent/packed")
        let loss = try #require(try store.json("metric", "show", id, "--key", "loss", "--json") as? [[String: Any]])
        #expect(loss.compactMap { $0["step"] as? Int } == [1, 2, 4])
        let accuracy = try #require(try store.json("metric", "show", id, "--key", "acc", "--split", "eval", "--json") as? [[String: Any]])
        #expect(accuracy.first?["value"] as? Double == 0.9)
    }
}
