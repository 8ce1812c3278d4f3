import Foundation
import Testing
import CairnTestSupport

@Suite struct CLIRunSearchTests {
    /// Three runs of `vae/*` and one of `gan`, with params, tags and eval losses.
    private func fixture() throws -> (CLITestStore, [String]) {
        let store = try CLITestStore()
        var ids: [String] = []
        for (experiment, lr, loss, team) in [("vae/a", "0.01", "0.30", "vision"), ("vae/a", "0.0001", "0.10", "nlp"),
                                             ("vae/b", "1e-3", "0.15", "vision"), ("gan", "0.1", "0.05", "vision")] {
            let id = try store.newRun(experiment, "--set", "+training.lr=\(lr)", "--tag", "team=\(team)")
            try store.output("metric", "log", id, "loss=\(loss)", "--step", "1", "--split", "eval")
            try store.output("metric", "log", id, "loss=0.9", "--step", "1")
            ids.append(id)
        }
        return (store, ids)
    }

    private func ids(_ store: CLITestStore, _ arguments: String...) throws -> [String] {
        let runs = try #require(try store.json(["run", "ls", "--json"] + arguments) as? [[String: Any]])
        return runs.compactMap { $0["id"] as? String }
    }

    @Test func filtersOrdersAndLimits() throws {
        let (store, ids) = try fixture()
        #expect(try self.ids(store) == ids)  // oldest first, as before
        #expect(try self.ids(store, "-e", "vae/*", "--filter", "metrics.`eval/loss` < 0.2 and params.training.lr > 1e-5",
                             "--order-by", "metrics.`eval/loss`") == [ids[1], ids[2]])
        #expect(try self.ids(store, "--filter", "tags.team = 'vision'", "--order-by", "params.training.lr DESC", "--limit", "2") == [ids[3], ids[0]])
        #expect(try self.ids(store, "--filter", "params.training.lr = 0.001") == [ids[2]])  // 1e-3, compared as a number
        #expect(try self.ids(store, "--filter", "params.training.lr = '1e-3'").isEmpty)  // quoted: text (the param reads 0.001), as in MLflow
        #expect(try self.ids(store, "--status", "RUNNING", "-e", "gan") == [ids[3]])
        #expect(try self.ids(store, "--filter", "attributes.run_id IN ('\(ids[0])', '\(ids[3])')") == [ids[0], ids[3]])
    }

    @Test func showsColumnsAsTableCSVAndJSON() throws {
        let (store, ids) = try fixture()
        let table = try store.output("run", "ls", "-e", "vae/a", "--columns", "params.training.lr,metrics.`eval/loss`,tags.nothing")
        #expect(table.contains("params.training.lr") && table.contains("0.0001") && table.contains("0.1"))
        let csv = try store.output("run", "ls", "--csv", "--columns", "metrics.loss,tags.team")
        let read = try TestPython.run("import sys, csv, json; print(json.dumps(list(csv.DictReader(sys.stdin))))", stdin: csv + "\n")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [[String: String]])
        #expect(rows.map { $0["id"] } == ids)
        #expect(rows.allSatisfy { $0["metrics.loss"] == "0.9" })
        let runs = try #require(try store.json("run", "ls", "--json", "--columns", "metrics.`eval/loss`,params.missing") as? [[String: Any]])
        let columns = try #require(runs.first?["columns"] as? [String: Any])
        #expect(columns["metrics.`eval/loss`"] as? Double == 0.3)
        #expect(columns["params.missing"] is NSNull)
        #expect(try #require(try store.json("run", "ls", "--json") as? [[String: Any]]).allSatisfy { $0["columns"] == nil })
    }

    @Test func refusesBadFiltersAndChangesNothing() throws {
        let (store, _) = try fixture()
        _ = try store.output("run", "ls")
        let before = TreeSnapshot(store.url)
        let cases: [([String], String)] = [
            (["--filter", "metrics.loss < 'abc'"], "at column 16"),
            (["--filter", "params.a = '1' OR 1=1 --"], "OR is not supported"),
            (["--filter", "params.a = 'open"], "never closed"),
            (["--filter", "attributes.colour = 'x'"], "'colour' is not an attribute"),
            (["--filter", String(repeating: "metrics.a < 1 and ", count: 6_000) + "metrics.a < 1"], "characters long"),
            (["--order-by", "metrics.loss SIDEWAYS"], "expected ASC, DESC"),
            (["--columns", "foo.bar"], "is not a kind of field"),
            (["-e", "nope/*"], "no experiment matches"),
            (["--limit", "0"], "at least 1"),
        ]
        for (arguments, expected) in cases {
            let result = try store.cairn(["run", "ls"] + arguments)
            #expect(result.status != 0)
            #expect(result.stderr.hasPrefix("cairn: error: ") && result.stderr.contains(expected)
                    && result.stderr.split(separator: "\n").count == 1, "\(arguments.first!): \(result.stderr)")
        }
        #expect(TreeSnapshot(store.url) == before)
    }

    @Test func reindexAndCheck() throws {
        let (store, ids) = try fixture()
        let report = try #require(try store.json("reindex", "--json") as? [String: Any])
        #expect(report["runs"] as? Int == 4 && report["experiments"] as? Int == 3)
        #expect(try store.output("reindex", "--check").contains("current (4 runs)"))
        // Deleted: nothing is lost, the next search rebuilds it.
        try FileManager.default.removeItem(atPath: store.path + "/.cairn/index.sqlite")
        #expect(try self.ids(store, "--filter", "metrics.`eval/loss` >= 0.15") == [ids[0], ids[2]])
        // Damaged (random bytes; its write-ahead log gone too, as after the last process closed it):
        // moved aside with one warning, rebuilt, right answers.
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store.path + "/.cairn/index.sqlite" + suffix) }
        try Data(repeating: 0x5A, count: 10_000).write(to: URL(fileURLWithPath: store.path + "/.cairn/index.sqlite"))
        let result = try store.cairn("run", "ls", "--json", "--filter", "tags.team = 'nlp'")
        #expect(result.status == 0 && result.stderr.contains("cairn: warning: the index was damaged"), "\(result.stderr)")
        #expect(result.stdout.contains(ids[1]) && !result.stdout.contains(ids[0]))
        // Truncated to its first page: the same.
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: store.path + "/.cairn/index.sqlite" + suffix) }
        _ = try store.output("reindex")  // which folds the write-ahead log into the file
        let whole = try Data(contentsOf: URL(fileURLWithPath: store.path + "/.cairn/index.sqlite"))
        try whole.prefix(4096).write(to: URL(fileURLWithPath: store.path + "/.cairn/index.sqlite"))
        let truncated = try store.cairn("run", "ls", "--json", "--filter", "tags.team = 'nlp'")
        #expect(truncated.status == 0 && truncated.stderr.contains("damaged"), "\(truncated.stderr)")
        #expect(truncated.stdout.contains(ids[1]) && !truncated.stdout.contains(ids[0]))
    }

    /// A write leaves the index alone and notes its run; the next search takes the note in before it
    /// answers, and removes it.
    @Test func writersNoteChangesForTheNextSearch() throws {
        let (store, ids) = try fixture()
        _ = try store.output("run", "ls")  // the index, current
        let meta = store.url.appendingPathComponent(".cairn")
        let database = meta.appendingPathComponent("index.sqlite")
        func stamp(_ url: URL) -> String {
            let attributes = (try? FileManager.default.attributesOfItem(atPath: url.path)) ?? [:]
            return "\(attributes[.size] ?? "-") \(attributes[.modificationDate] ?? "-")"
        }
        let before = [stamp(database), stamp(URL(fileURLWithPath: database.path + "-wal"))]
        try store.output("metric", "log", ids[0], "loss=0.01", "--step", "2", "--split", "eval")
        let note = meta.appendingPathComponent("index.changes").appendingPathComponent(ids[0])
        #expect(FileManager.default.fileExists(atPath: note.path))
        #expect([stamp(database), stamp(URL(fileURLWithPath: database.path + "-wal"))] == before)
        #expect(try self.ids(store, "--filter", "metrics.`eval/loss` < 0.02") == [ids[0]])
        #expect(!FileManager.default.fileExists(atPath: note.path))
        // Without an index, a write notes nothing.
        let bare = try CLITestStore()
        let run = try bare.newRun("vae/a")
        try bare.output("metric", "log", run, "loss=0.5", "--step", "1")
        #expect(!FileManager.default.fileExists(atPath: bare.url.appendingPathComponent(".cairn/index.changes").path))
        #expect(!FileManager.default.fileExists(atPath: bare.url.appendingPathComponent(".cairn/index.sqlite").path))
    }

    /// A store this user cannot write answers from its index when that is current, else from the files.
    @Test func answersOnAStoreItCannotWrite() throws {
        let (store, ids) = try fixture()
        _ = try store.output("run", "ls")  // the index, current
        let query = ["run", "ls", "--json", "--store", store.path, "--filter", "tags.team = 'vision'", "--order-by", "metrics.`eval/loss`"]
        func found() throws -> [String] {
            let result = try CLI.runUnprivileged(query)
            try #require(result.status == 0, "\(result.stderr)")
            let runs = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            return runs.compactMap { $0["id"] as? String }
        }
        let before = TreeSnapshot(store.url)
        #expect(try found() == [ids[3], ids[2], ids[0]])
        #expect(TreeSnapshot(store.url) == before, "changed: \(TreeSnapshot(store.url).difference(from: before))")
        // A run added since by a user who can write (whose commands keep the index current): found too.
        let added = try store.newRun("vae/a", "--tag", "team=vision")
        try store.output("metric", "log", added, "loss=0.01", "--step", "1", "--split", "eval")
        #expect(try found() == [added, ids[3], ids[2], ids[0]])
        // Runs written through the library by a program that never updates the index (cairn-bench): the
        // index is stale, this user cannot update it, so the runs' files answer, new runs included.
        let fill = try TestProcess.run(PackagePaths.benchBinary, ["populate", store.path, "1", "2"])
        try #require(fill.status == 0, "\(fill.stdout)\(fill.stderr)")
        let all = try CLI.runUnprivileged(["run", "ls", "--json", "--store", store.path])
        try #require(all.status == 0, "\(all.stderr)")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]])
        #expect(listed.count == ids.count + 3)
        #expect(try found() == [added, ids[3], ids[2], ids[0]])
    }

    @Test func comparesRuns() throws {
        let (store, ids) = try fixture()
        let comparison = try #require(try store.json("compare", ids[0], ids[1], "--json") as? [String: Any])
        let params = try #require(comparison["params"] as? [[String: Any]])
        #expect(params.map { $0["key"] as? String } == ["training.lr"])
        #expect(params.first?["values"] as? [String] == ["0.01", "0.0001"])
        let metrics = try #require(comparison["metrics"] as? [[String: Any]])
        #expect(metrics.map { $0["name"] as? String } == ["eval/loss", "loss"])
        let text = try store.output("compare", ids[0], ids[1])
        #expect(text.contains("params.training.lr") && text.contains("eval/loss last/min/max"))
        let missing = try store.cairn("compare", ids[0], "nope")
        #expect(missing.status != 0 && missing.stderr.contains("no run 'nope'"))
    }
}
