import CairnTestSupport
import Foundation
import Testing

/// `cairn serve` on a PostgreSQL index: what only a server database brings. A database that cannot be
/// reached at start is one clear line; a database lost while serving makes searches answer a retryable
/// 503 while writes stay safe in the files, and the server recovers by itself when it is back.
@Suite(.serialized) struct CLIServePostgresTests {
    @Test(.enabled(if: TestDatabase.isAvailable, Comment(rawValue: TestDatabase.skipReason)))
    func theMLflowClientTestsAlsoRunOnPostgreSQL() {
        #expect(ServeBackend.all.contains(.postgres))
    }

    @Test func anUnreachableDatabaseAtStartIsOneClearLine() throws {
        let store = try CLITestStore()
        let before = StoreChecksum(store.path)
        let result = try store.cairn(["serve", "--port", "0", "--database", "postgresql://cairn@127.0.0.1:1/cairn"])
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("127.0.0.1:1") && lines[0].contains("cannot be reached"), "\(result.stderr)")
        #expect(StoreChecksum(store.path) == before)
    }

    @Test(arguments: ["postgresql://cairn:secret@db/cairn", "mysql://db/cairn", "postgresql://cairn@db:99999/cairn"])
    func aBadDatabaseURLIsOneClearLine(url: String) throws {
        let store = try CLITestStore()
        for arguments in [["serve", "--port", "0", "--database", url], ["reindex", "--database", url]] {
            let result = try store.cairn(arguments)
            #expect(result.status != 0 && result.stderr.split(separator: "\n").count == 1 && !result.stderr.contains("secret"), "\(result.stderr)")
        }
        // In cairn.yaml, the same mistake names the file, for every command.
        let yaml = store.path + "/cairn.yaml"
        let text = try String(contentsOfFile: yaml, encoding: .utf8) + "index:\n  database: \"\(url)\"\n"
        try text.write(toFile: yaml, atomically: true, encoding: .utf8)
        let listed = try store.cairn(["run", "ls"])
        #expect(listed.status != 0 && listed.stderr.contains("cairn.yaml") && listed.stderr.contains("index.database") && !listed.stderr.contains("secret"),
                "\(listed.stderr)")
    }

    static let client = #"""
        import json, sys, urllib.request, urllib.error
        base, step = sys.argv[1], sys.argv[2]
        def call(path, body, method="POST"):
            request = urllib.request.Request(base + "/api/2.0/mlflow/" + path, data=json.dumps(body).encode(), method=method,
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request) as answer:
                    return answer.status, json.loads(answer.read() or b"{}")
            except urllib.error.HTTPError as error:
                return error.code, json.loads(error.read() or b"{}")
        out = {}
        if step == "start":
            _, exp = call("experiments/create", {"name": "pg/lost"})
            _, run = call("runs/create", {"experiment_id": exp["experiment_id"], "start_time": 1790000000000})
            out["run"] = run["run"]["info"]["run_id"]
            out["experiment"] = exp["experiment_id"]
        else:
            out["run"], out["experiment"] = sys.argv[3], sys.argv[4]
        first = int(sys.argv[5])
        metrics = [{"key": "loss", "value": 1.0 / (first + i + 1), "timestamp": 1790000000000 + first + i, "step": first + i} for i in range(100)]
        out["log"] = call("runs/log-batch", {"run_id": out["run"], "metrics": metrics})[0]
        status, answer = call("runs/search", {"experiment_ids": [out["experiment"]], "filter": "metrics.loss < 1"})
        out["search"] = status
        out["search_code"] = answer.get("error_code")
        out["message"] = answer.get("message", "")
        out["found"] = len(answer.get("runs", []))
        print(json.dumps(out))
        """#

    private static func answers(_ result: TestProcess.Result) throws -> [String: Any] {
        try #require(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test(.enabled(if: TestDatabase.isAvailable, Comment(rawValue: TestDatabase.skipReason)))
    func aLostDatabaseAnswers503AndTheServerRecoversByItself() throws {
        // A cluster of its own: the shared one stays up for the other tests.
        let cluster = try PrivateCluster()
        defer { cluster.remove() }
        let store = try CLITestStore()
        let server = try ServeProcess(["--store", store.path, "--database", cluster.url], in: store.path)
        defer { _ = server.stop() }
        let first = try Self.answers(try TestPython.run(Self.client, [server.url, "start", "", "", "0"]))
        #expect(first["log"] as? Int == 200 && first["search"] as? Int == 200 && first["found"] as? Int == 1)
        let run = try #require(first["run"] as? String), experiment = try #require(first["experiment"] as? String)

        try cluster.pgCtl(["stop", "-m", "fast", "-w"])
        let lost = try Self.answers(try TestPython.run(Self.client, [server.url, "again", run, experiment, "100"]))
        // Writes go to the files (and a note for the index); searches need the index: retryable 503.
        #expect(lost["log"] as? Int == 200)
        #expect(lost["search"] as? Int == 503 && lost["search_code"] as? String == "TEMPORARILY_UNAVAILABLE", "\(lost)")
        #expect((lost["message"] as? String)?.contains("cannot be reached") == true)

        try cluster.pgCtl(["start", "-w"])
        let back = try Self.answers(try TestPython.run(Self.client, [server.url, "again", run, experiment, "200"]))
        #expect(back["log"] as? Int == 200 && back["search"] as? Int == 200 && back["found"] as? Int == 1, "\(back)")
        // Every acknowledged point is in the files, and the database's summary counts them all.
        let shown = try #require(try store.json("metric", "show", run, "--json") as? [[String: Any]])
        #expect(shown.first { $0["key"] as? String == "loss" }?["count"] as? Int == 300)
        let counted = try TestProcess.run("/usr/bin/env", ["psql", cluster.url.replacingOccurrences(of: "?sslmode=disable", with: ""), "-tAc",
                                                           "SELECT count FROM metrics WHERE name = 'loss'"])
        #expect(counted.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "300", "\(counted.stdout) \(counted.stderr)")
    }
}

extension CLIServePostgresTests {
    static let twoServers = #"""
        import json, sys, threading, urllib.request, urllib.error
        servers = sys.argv[1:3]
        def call(base, path, body):
            request = urllib.request.Request(base + "/api/2.0/mlflow/" + path, data=json.dumps(body).encode(), method="POST",
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request) as answer:
                return json.loads(answer.read() or b"{}")
        experiment = call(servers[0], "experiments/create", {"name": "pg/two"})["experiment_id"]
        # Runs created on both servers at once: every id distinct.
        ids, errors = [], []
        def create(base, n):
            try:
                for i in range(n):
                    ids.append(call(base, "runs/create", {"experiment_id": experiment, "start_time": 1790000000000 + i})["run"]["info"]["run_id"])
            except Exception as error:
                errors.append(repr(error))
        threads = [threading.Thread(target=create, args=(base, 20)) for base in servers for _ in range(2)]
        for t in threads: t.start()
        for t in threads: t.join()
        # A batch acknowledged by one server is found at once by a search on the other.
        seen = []
        for i, run in enumerate(ids[:10]):
            writer, reader = servers[i % 2], servers[(i + 1) % 2]
            call(writer, "runs/log-batch", {"run_id": run, "metrics": [{"key": "acc", "value": 0.5 + i, "timestamp": 1, "step": 0}]})
            found = call(reader, "runs/search", {"experiment_ids": [experiment], "filter": f"metrics.acc = {0.5 + i}"})
            seen.append([r["info"]["run_id"] for r in found.get("runs", [])] == [run])
            # A second batch to the same run through the same server (its logger already open).
            call(writer, "runs/log-batch", {"run_id": run, "metrics": [{"key": "acc", "value": 100.5 + i, "timestamp": 2, "step": 1}]})
            found = call(reader, "runs/search", {"experiment_ids": [experiment], "filter": f"metrics.acc = {100.5 + i}"})
            seen.append([r["info"]["run_id"] for r in found.get("runs", [])] == [run])
        total = call(servers[1], "runs/search", {"experiment_ids": [experiment], "max_results": 1000})
        print(json.dumps({"errors": errors, "created": len(ids), "distinct": len(set(ids)), "seen": seen,
                          "listed": len(total.get("runs", []))}))
        """#

    @Test(.enabled(if: TestDatabase.isAvailable, Comment(rawValue: TestDatabase.skipReason)))
    func twoServersShareOneStoreAndOneDatabase() throws {
        let store = try CLITestStore()
        let url = try #require(TestDatabase.freshURL())
        let first = try ServeProcess(["--store", store.path, "--database", url], in: store.path)
        defer { _ = first.stop() }
        let second = try ServeProcess(["--store", store.path, "--database", url], in: store.path)
        defer { _ = second.stop() }
        let out = try Self.answers(try TestPython.run(Self.twoServers, [first.url, second.url]))
        #expect((out["errors"] as? [String])?.isEmpty == true, "\(out)")
        #expect(out["created"] as? Int == 80 && out["distinct"] as? Int == 80 && out["listed"] as? Int == 80)
        #expect(out["seen"] as? [Bool] == Array(repeating: true, count: 20), "\(out)")
    }
}

extension CLIServePostgresTests {
    static let inTheIndexBeforeTheAnswer = #"""
        import json, subprocess, sys, urllib.request
        servers, database, schema = sys.argv[1:3], sys.argv[3], sys.argv[4]
        def call(base, path, body):
            request = urllib.request.Request(base + "/api/2.0/mlflow/" + path, data=json.dumps(body).encode(), method="POST",
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request) as answer:
                return json.loads(answer.read() or b"{}")
        def indexed(run):
            # Straight from the database, no search first: what the servers wrote before they answered.
            query = f"SELECT coalesce(sum(m.count), 0) FROM \"{schema}\".metrics m WHERE m.run_id = '{run}' AND m.name = 'loss'"
            out = subprocess.run(["psql", database, "-tAc", query], capture_output=True, text=True)
            return out.stdout.strip() or out.stderr.strip()
        experiment = call(servers[0], "experiments/create", {"name": "pg/acknowledged"})["experiment_id"]
        runs = [call(servers[i % 2], "runs/create", {"experiment_id": experiment, "start_time": 1790000000000})["run"]["info"]["run_id"]
                for i in range(2)]
        seen, acknowledged = [], {run: 0 for run in runs}
        for i in range(30):
            run, writer = runs[i % 2], servers[(i // 2) % 2]  # each run written through both servers in turn
            points = [{"key": "loss", "value": 1.0 / (n + 1), "timestamp": 1790000000000 + n, "step": acknowledged[run] + n} for n in range(1 + i)]
            call(writer, "runs/log-batch", {"run_id": run, "metrics": points})
            acknowledged[run] += len(points)
            seen.append([indexed(run), str(acknowledged[run])])
        print(json.dumps({"seen": seen}))
        """#

    /// A batch is in the database before the server answers it: counted there by a query that comes
    /// straight after the answer, with no search to take changes in, whichever server wrote it.
    @Test(.enabled(if: TestDatabase.isAvailable, Comment(rawValue: TestDatabase.skipReason)))
    func aBatchIsInTheDatabaseBeforeItIsAcknowledged() throws {
        let store = try CLITestStore()
        let fresh = try #require(TestDatabase.freshSchema())
        let first = try ServeProcess(["--store", store.path, "--database", fresh.url], in: store.path)
        defer { _ = first.stop() }
        let second = try ServeProcess(["--store", store.path, "--database", fresh.url], in: store.path)
        defer { _ = second.stop() }
        let out = try Self.answers(try TestPython.run(Self.inTheIndexBeforeTheAnswer, [first.url, second.url, fresh.database, fresh.schema]))
        let seen = try #require(out["seen"] as? [[String]], "\(out)")
        #expect(seen.count == 30)
        for (i, pair) in seen.enumerated() {
            #expect(pair.count == 2 && pair[0] == pair[1], "batch \(i): \(pair) (in the database, acknowledged)")
        }
    }
}

/// A PostgreSQL cluster of one test's own (scripts/postgres-cluster), removed at the end.
struct PrivateCluster {
    let url: String
    let folder: String

    init() throws {
        let started = try TestProcess.run("/usr/bin/env", ["bash", PackagePaths.root.path + "/scripts/postgres-cluster", "start"])
        var values: [String: String] = [:]
        for line in started.stdout.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst("export ".count).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { values[String(pair[0])] = String(pair[1]).replacingOccurrences(of: "\\?", with: "?") }
        }
        url = try #require(values["CAIRN_TEST_DATABASE"], "no private cluster: \(values["CAIRN_TEST_DATABASE_SKIP"] ?? started.stderr)")
        folder = try #require(values["CAIRN_TEST_PG_DIR"])
    }

    func pgCtl(_ arguments: [String]) throws {
        let result = try TestProcess.run("/usr/bin/env", ["bash", PackagePaths.root.path + "/scripts/postgres-cluster", "pg_ctl", folder] + arguments)
        try #require(result.status == 0, "pg_ctl \(arguments): \(result.stderr)")
    }

    func remove() {
        _ = try? TestProcess.run("/usr/bin/env", ["bash", PackagePaths.root.path + "/scripts/postgres-cluster", "stop", folder])
    }
}
