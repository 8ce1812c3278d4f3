import Foundation
import Testing
import CairnTestSupport

/// `cairn serve` at the protocol's edges, over raw HTTP: hostile artifact paths (`..`, absolute,
/// percent- and double-encoded, backslashes, NUL, links leading out) refused with
/// INVALID_PARAMETER_VALUE and nothing written outside; MLflow's batch and value limits; `NaN` and the
/// infinities as MLflow writes them; unknown fields; paged and sampled histories; seeded mutations of
/// every endpoint's body (wrong types, missing fields, huge values, bad UTF-8, truncated JSON) never
/// answered with a 5xx. And a server killed with SIGKILL while clients log keeps every point it
/// acknowledged.
@Suite(.serialized) struct CLIServeProtocolTests {
    static let script = #"""
import http.client, json, os, random, sys, tempfile, urllib.parse
url, store = sys.argv[1], sys.argv[2]
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 7
host = urllib.parse.urlparse(url)
conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
def call(method, path, body=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    text = response.read()
    try:
        answer = json.loads(text) if text else {}
    except ValueError:
        answer = text.decode(errors="replace")
    return response.status, answer
api = "/api/2.0/mlflow/"
out = {}
status, created = call("POST", api + "experiments/create", {"name": "proto"})
exp = created["experiment_id"]
status, run = call("POST", api + "runs/create", {"experiment_id": exp, "run_name": "r", "start_time": 1, "tags": []})
rid = run["run"]["info"]["run_id"]
folder = os.path.join(store, "proto", rid)
# Hostile artifact paths: all refused, nothing written anywhere else.
outside = tempfile.mkdtemp()
os.makedirs(os.path.join(folder, "artifacts"), exist_ok=True)
os.symlink(outside, os.path.join(folder, "artifacts", "out"))
with open(os.path.join(outside, "secret"), "w") as f:
    f.write("secret")
base = "/api/2.0/mlflow-artifacts/artifacts/%s/%s/artifacts/" % (exp, rid)
hostile = ["../x", "a/../../x", "%2e%2e/x", "..%2fx", "%252e%252e/x", "a%5cb", "a%00b", "a//b", "/etc/passwd",
           "%2fetc%2fpasswd", "out/secret", "out/new", "out/deep/new", ".", "a/./b"]
out["hostile"] = {}
for path in hostile:
    put = call("PUT", base + path, raw=b"x")
    get = call("GET", base + path)
    out["hostile"][path] = [put[0], put[1].get("error_code") if isinstance(put[1], dict) else put[1], get[0]]
out["outside_untouched"] = sorted(os.listdir(outside)) == ["secret"]
out["listing_out"] = call("GET", "/api/2.0/mlflow-artifacts/artifacts?path=%s/%s/artifacts/out" % (exp, rid))[0]
# Batch limits (MLflow's), and a full batch accepted.
def metric(i):
    return {"key": "m", "value": float(i), "timestamp": 1000 + i, "step": i}
out["batch_1000"] = call("POST", api + "runs/log-batch", {"run_id": rid, "metrics": [metric(i) for i in range(1000)]})[0]
out["batch_1001"] = call("POST", api + "runs/log-batch", {"run_id": rid, "metrics": [metric(i) for i in range(1001)]})[0]
out["params_101"] = call("POST", api + "runs/log-batch", {"run_id": rid, "params": [{"key": "p%d" % i, "value": "v"} for i in range(101)]})[0]
out["tags_101"] = call("POST", api + "runs/log-batch", {"run_id": rid, "tags": [{"key": "t%d" % i, "value": "v"} for i in range(101)]})[0]
out["long_param"] = call("POST", api + "runs/log-parameter", {"run_id": rid, "key": "long", "value": "x" * 6001})[0]
# Non-finite values as MLflow writes them.
for i, value in enumerate(["NaN", "Infinity", "-Infinity"]):
    call("POST", api + "runs/log-metric", {"run_id": rid, "key": "odd", "value": value, "timestamp": 5, "step": i})
status, history = call("GET", api + "metrics/get-history?run_id=%s&metric_key=odd" % rid)
out["odd_history"] = [m["value"] for m in history["metrics"]]
out["unknown_field"] = call("POST", api + "runs/log-metric", {"run_id": rid, "key": "m", "value": 1, "timestamp": 1, "step": 1, "surprise": 1})
out["paged"] = []
status, page = call("GET", api + "metrics/get-history?run_id=%s&metric_key=m&max_results=300" % rid)
while True:
    out["paged"].append(len(page["metrics"]))
    if not page.get("next_page_token"):
        break
    status, page = call("GET", api + "metrics/get-history?run_id=%s&metric_key=m&max_results=300&page_token=%s" % (rid, page["next_page_token"]))
status, bulk = call("GET", api + "metrics/get-history-bulk-interval?run_ids=%s&metric_key=m&max_results=10" % rid)
out["bulk"] = [m["step"] for m in bulk["metrics"]]
# Seeded mutations of valid bodies: never a 5xx, always MLflow's JSON error shape.
valid = {
    "experiments/create": {"name": "e", "tags": [{"key": "a", "value": "b"}]},
    "experiments/search": {"max_results": 10, "filter": "name LIKE 'p%'", "order_by": ["name"], "view_type": "ALL"},
    "experiments/update": {"experiment_id": exp, "new_name": "proto2"},
    "experiments/set-experiment-tag": {"experiment_id": exp, "key": "k", "value": "v"},
    "runs/create": {"experiment_id": exp, "run_name": "n", "start_time": 5, "tags": [{"key": "a", "value": "b"}]},
    "runs/update": {"run_id": rid, "status": "FINISHED", "end_time": 10},
    "runs/log-metric": {"run_id": rid, "key": "k", "value": 1.5, "timestamp": 5, "step": 3},
    "runs/log-parameter": {"run_id": rid, "key": "pk", "value": "pv"},
    "runs/set-tag": {"run_id": rid, "key": "tk", "value": "tv"},
    "runs/log-batch": {"run_id": rid, "metrics": [metric(1)], "params": [{"key": "bp", "value": "1"}], "tags": [{"key": "bt", "value": "1"}]},
    "runs/search": {"experiment_ids": [exp], "filter": "metrics.m > 1", "max_results": 5, "order_by": ["metrics.m DESC"]},
    "runs/log-inputs": {"run_id": rid, "datasets": [{"dataset": {"name": "d", "digest": "x", "source_type": "local", "source": "/d"}}]},
}
rng = random.Random(seed)
weird = [None, True, -1, 0, 2**63, -2**63 - 1, 1e308, "", "x" * 100000, [], {}, [1, "a"], {"k": [None]}, "NaN", "\u0000", "../..", 3.5]
counts = {}
failures = []
for round in range(int(sys.argv[4]) if len(sys.argv) > 4 else 40):
    for route, body in valid.items():
        body = json.loads(json.dumps(body))
        kind = rng.randrange(7)
        if kind == 0 and body:
            body.pop(rng.choice(list(body)))
            raw = json.dumps(body).encode()
        elif kind == 1 and body:
            body[rng.choice(list(body))] = rng.choice(weird)
            raw = json.dumps(body).encode()
        elif kind == 2:
            raw = json.dumps(body).encode()
            raw = raw[: rng.randrange(len(raw))]
        elif kind == 3:
            raw = json.dumps(body).encode()
            at = rng.randrange(len(raw))
            raw = raw[:at] + bytes([rng.choice([0xff, 0xc3, 0x80, 0xfe])]) + raw[at:]
        elif kind == 4:
            raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
        elif kind == 5:
            for key in list(body):
                if isinstance(body[key], list) and body[key]:
                    item = body[key][0]
                    if isinstance(item, dict) and item:
                        item[rng.choice(list(item))] = rng.choice(weird)
            raw = json.dumps(body).encode()
        else:
            raw = json.dumps(rng.choice(weird)).encode()
        status, answer = call("POST", api + route, raw=raw)
        counts[status] = counts.get(status, 0) + 1
        if status >= 500 or (status != 200 and not (isinstance(answer, dict) and "error_code" in answer and "message" in answer)):
            failures.append([route, raw[:200].decode(errors="replace"), status, str(answer)[:200]])
out["mutation_statuses"] = sorted(counts)
out["mutation_failures"] = failures[:5]
# An upload that asks `Expect: 100-continue` (as curl does above 1 MiB) is told to go on at once, and a
# file of several MiB (synced as it grows) arrives whole, its sha256 recorded.
import hashlib, socket
blob = random.Random(seed).randbytes(5 * 1024 * 1024 + 17)
raw = socket.create_connection((host.hostname, host.port), timeout=5)
raw.sendall(("PUT %sbig.bin HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nExpect: 100-continue\r\n\r\n" % (base, len(blob))).encode())
try:
    out["continue"] = raw.recv(64).split(b"\r\n")[0].decode()
except socket.timeout:
    out["continue"] = "no answer in 5 s"
raw.sendall(blob)
answer = b""
while b"\r\n\r\n" not in answer:
    answer += raw.recv(4096)
out["big_status"] = answer.split(b"\r\n")[0].decode()
raw.close()
with open(os.path.join(folder, "artifacts", "big.bin"), "rb") as f:
    out["big_same"] = f.read() == blob
with open(os.path.join(folder, "artifacts.jsonl")) as f:
    records = [json.loads(line) for line in f if line.strip()]
out["big_sha256"] = [r["sha256"] for r in records if r["path"] == "big.bin"] == [hashlib.sha256(blob).hexdigest()]
out["health"] = call("GET", "/health")[0]
print(json.dumps(out))
"""#

    @Test(arguments: ServeBackend.all, [7, 2026]) func theEdgesOfTheProtocol(backend: ServeBackend, seed: Int) throws {
        let store = try CLITestStore()
        let server = try ServeProcess(["--store", store.path] + backend.arguments(), in: store.path)
        defer { _ = server.stop() }
        let result = try TestPython.run(Self.script, [server.url, store.path, String(seed), "40"])
        try #require(result.status == 0, "\(result.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let hostile = try #require(out["hostile"] as? [String: [Any]])
        #expect(hostile.count == 15)
        for (path, answer) in hostile {
            #expect(answer[0] as? Int == 400 && answer[1] as? String == "INVALID_PARAMETER_VALUE" && answer[2] as? Int == 400, "\(path): \(answer)")
        }
        #expect(out["outside_untouched"] as? Bool == true && out["listing_out"] as? Int == 400)
        #expect(out["batch_1000"] as? Int == 200 && out["batch_1001"] as? Int == 400)
        #expect(out["params_101"] as? Int == 400 && out["tags_101"] as? Int == 400 && out["long_param"] as? Int == 400)
        #expect(out["odd_history"] as? [String] == ["NaN", "Infinity", "-Infinity"])
        #expect((out["unknown_field"] as? [Any])?.first as? Int == 400)
        #expect(out["paged"] as? [Int] == [300, 300, 300, 100])
        #expect(out["bulk"] as? [Int] == [0, 111, 222, 333, 444, 555, 666, 777, 888, 999])
        #expect((out["mutation_failures"] as? [Any])?.isEmpty == true, "\(out["mutation_failures"] ?? "")")
        #expect(Set(out["mutation_statuses"] as? [Int] ?? []).isSubset(of: [200, 400, 404]))
        #expect(out["continue"] as? String == "HTTP/1.1 100 Continue")
        #expect(out["big_status"] as? String == "HTTP/1.1 200 OK")
        #expect(out["big_same"] as? Bool == true && out["big_sha256"] as? Bool == true)
        #expect(out["health"] as? Int == 200)
    }

    static let logger = #"""
        import http.client, json, sys, urllib.parse
        url, run, counter = sys.argv[1], sys.argv[2], sys.argv[3]
        host = urllib.parse.urlparse(url)
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
        acknowledged = 0
        step = 0
        try:
            while True:
                body = {"run_id": run, "metrics": [{"key": "loss", "value": 0.5, "timestamp": 1, "step": step + i} for i in range(100)]}
                conn.request("POST", "/api/2.0/mlflow/runs/log-batch", body=json.dumps(body), headers={"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    break
                acknowledged += 100
                step += 100
                with open(counter, "w") as f:
                    f.write(str(acknowledged))
        except Exception:
            pass
        print(acknowledged)
        """#

    @Test(arguments: ServeBackend.all) func aKilledServerKeepsEveryAcknowledgedPoint(backend: ServeBackend) throws {
        let store = try CLITestStore()
        let run = try store.newRun("killed")
        let server = try ServeProcess(["--store", store.path] + backend.arguments(), in: store.path)
        let folder = try TemporaryDirectory("cairn-serve-kill")
        let counter = folder.path + "/acknowledged"
        let clients = try (0..<2).map { index in
            try SpawnedProcess(TestPython.executable, ["-c", Self.logger, server.url, run, counter + "\(index)"],
                               outputFile: folder.path + "/out\(index)", errorFile: folder.path + "/err\(index)")
        }
        // Let them log, then kill the server in the middle of their requests.
        var logged = 0
        for _ in 0..<200 where logged < 3000 {
            usleep(20_000)
            logged = (0..<2).reduce(0) { $0 + (Int((try? String(contentsOfFile: counter + "\($1)", encoding: .utf8)) ?? "") ?? 0) }
        }
        server.process.signal(SIGKILL)
        _ = server.process.wait()
        var acknowledged = 0
        for (index, client) in clients.enumerated() {
            _ = client.wait()
            acknowledged += Int((try String(contentsOfFile: folder.path + "/out\(index)", encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        #expect(acknowledged >= 3000)
        let summaries = try #require(try store.json("metric", "show", run, "--json") as? [[String: Any]])
        let stored = summaries.first { $0["key"] as? String == "loss" }?["count"] as? Int ?? 0
        #expect(stored >= acknowledged, "stored \(stored) of \(acknowledged) acknowledged points")
        #expect(stored <= acknowledged + 200)
    }
}
