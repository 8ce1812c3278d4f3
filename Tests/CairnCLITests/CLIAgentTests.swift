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
}
