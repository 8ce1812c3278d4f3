import Foundation
import Testing
import CairnTestSupport

/// `cairn serve` driven by the official MLflow client (mlflow-skinny, pinned in requirements-test.txt):
/// experiments created, found, listed and refused as MLflow's server does, visible to the CLI at once;
/// `/health`; a graceful stop on SIGTERM; a store made when there is none.
@Suite(.serialized) struct CLIServeTests {
    static let client = """
        import json, sys
        import mlflow
        from mlflow import MlflowClient
        from mlflow.exceptions import MlflowException
        url = sys.argv[1]
        client = MlflowClient(tracking_uri=url)
        out = {}
        first = client.create_experiment("vae/baseline")
        out["got"] = client.get_experiment(first).name
        out["by_name"] = client.get_experiment_by_name("vae/baseline").experiment_id == first
        out["missing"] = client.get_experiment_by_name("nope") is None
        mlflow.set_tracking_uri(url)
        out["set"] = mlflow.set_experiment("gan").name          # get-by-name: 404, create, get
        out["set_again"] = mlflow.set_experiment("gan").experiment_id
        out["all"] = sorted(e.name for e in client.search_experiments())
        out["like"] = [e.name for e in client.search_experiments(filter_string="name LIKE 'vae%'")]
        page = client.search_experiments(max_results=1)
        out["paged"] = len(page)
        out["token"] = page.token is not None
        out["second_page"] = [e.name for e in client.search_experiments(max_results=1, page_token=page.token)]
        for bad in ["vae/baseline", "a/../b", ""]:
            try:
                client.create_experiment(bad)
                out[bad] = "created"
            except MlflowException as error:
                out[bad] = error.error_code
        try:
            client.get_experiment("987654")
        except MlflowException as error:
            out["unknown_id"] = error.error_code
        try:
            client.search_experiments(filter_string="tags.x = 'y'")
        except MlflowException as error:
            out["bad_filter"] = error.error_code
        print(json.dumps(out))
        """

    @Test(arguments: ServeBackend.all) func theMLflowClientManagesExperiments(backend: ServeBackend) throws {
        let store = try CLITestStore()
        let server = try ServeProcess(["--store", store.path] + backend.arguments(), in: store.path)
        defer { _ = server.stop() }
        let result = try TestPython.run(Self.client, [server.url])
        try #require(result.status == 0, "\(result.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(out["got"] as? String == "vae/baseline")
        #expect(out["by_name"] as? Bool == true && out["missing"] as? Bool == true)
        #expect(out["set"] as? String == "gan")
        // As on MLflow's server, `Default` (id 0) is listed too.
        #expect(out["all"] as? [String] == ["Default", "gan", "vae/baseline"])
        #expect(out["like"] as? [String] == ["vae/baseline"])
        #expect(out["paged"] as? Int == 1 && out["token"] as? Bool == true && (out["second_page"] as? [String])?.count == 1)
        #expect(out["vae/baseline"] as? String == "RESOURCE_ALREADY_EXISTS")
        #expect(out["a/../b"] as? String == "INVALID_PARAMETER_VALUE" && out[""] as? String == "INVALID_PARAMETER_VALUE")
        #expect(out["unknown_id"] as? String == "RESOURCE_DOES_NOT_EXIST")
        #expect(out["bad_filter"] as? String == "INVALID_PARAMETER_VALUE")
        // The experiments are the store's: the CLI sees them at once, as folders.
        let listed = try #require(try store.json("exp", "ls", "--json") as? [[String: Any]])
        #expect(Set(listed.compactMap { $0["name"] as? String }) == ["Default", "gan", "vae/baseline"])
        #expect(FileManager.default.fileExists(atPath: store.path + "/vae/baseline"))
    }

    @Test func answersHealthLogsRequestsAndStopsOnSIGTERM() throws {
        let store = try CLITestStore()
        let server = try ServeProcess(["--store", store.path], in: store.path)
        let health = try TestPython.run("import urllib.request, sys; print(urllib.request.urlopen(sys.argv[1] + '/health').read().decode())", [server.url])
        #expect(health.stdout.trimmingCharacters(in: .newlines) == "OK", "\(health.stderr)")
        let missing = try TestPython.run("""
            import urllib.request, urllib.error, sys
            try:
                urllib.request.urlopen(sys.argv[1] + '/ajax-api/2.0/mlflow/experiments/get?experiment_id=42')
            except urllib.error.HTTPError as error:
                print(error.code, error.read().decode())
            """, [server.url])
        #expect(missing.stdout.hasPrefix("404 ") && missing.stdout.contains("\"error_code\":\"RESOURCE_DOES_NOT_EXIST\""), "\(missing.stdout)")
        let unknown = try TestPython.run("""
            import urllib.request, urllib.error, sys
            try:
                urllib.request.urlopen(sys.argv[1] + '/api/2.0/mlflow/no/such/endpoint')
            except urllib.error.HTTPError as error:
                print(error.code, error.read().decode())
            """, [server.url])
        #expect(unknown.stdout.hasPrefix("404 ") && unknown.stdout.contains("\"error_code\":\"ENDPOINT_NOT_FOUND\""), "\(unknown.stdout)")
        let status = server.stop()
        #expect(status == 0, "exit status \(status)")
    }

    @Test func makesAStoreWhenThereIsNone() throws {
        let directory = try TemporaryDirectory("cairn-serve-empty")
        let server = try ServeProcess([], in: directory.path)
        let first = try String(contentsOfFile: server.output, encoding: .utf8).split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("No store here: created one in ") && first.hasSuffix("/cairn-store"), "\(first)")
        #expect(FileManager.default.fileExists(atPath: directory.path + "/cairn-store/cairn.yaml"))
        #expect(server.stop() == 0)
    }

    @Test func aPortInUseIsOneClearLine() throws {
        let store = try CLITestStore()
        let server = try ServeProcess(["--store", store.path], in: store.path)
        defer { _ = server.stop() }
        let port = try #require(server.url.split(separator: ":").last.map(String.init))
        let second = try CLI.run(["serve", "--store", store.path, "--port", port])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.hasPrefix("cairn: error: could not serve on 127.0.0.1:\(port)") && second.stderr.contains("--port"), "\(second.stderr)")
    }

    @Test func refusesABadPort() throws {
        let result = try CLI.run(["serve", "--port", "70000"])
        #expect(result.status != 0 && result.stderr.contains("--port"), "\(result.stderr)")
    }

    @Test func anAddressBeyondLoopbackNeedsAToken() throws {
        let refused = try CLI.run(["serve", "--host", "0.0.0.0", "--port", "0", "--store", try CLITestStore().path])
        #expect(refused.status == 1 && refused.stderr.hasPrefix("cairn: error: serving on 0.0.0.0 needs a token") && refused.stderr.contains("--token"), "\(refused.stderr)")
    }

    @Test func aTokenIsCheckedOnEveryRequest() throws {
        let store = try CLITestStore()
        let server = try ServeProcess(["--store", store.path, "--host", "0.0.0.0", "--token", "s3cret-token"], in: store.path)
        defer { _ = server.stop() }
        let url = server.url.replacingOccurrences(of: "0.0.0.0", with: "127.0.0.1")
        let result = try TestPython.run("""
            import base64, json, os, sys, urllib.request, urllib.error
            url = sys.argv[1]
            def status(path, header=None):
                request = urllib.request.Request(url + path)
                if header:
                    request.add_header("Authorization", header)
                try:
                    return urllib.request.urlopen(request).status
                except urllib.error.HTTPError as error:
                    return error.code
            path = "/api/2.0/mlflow/experiments/get?experiment_id=0"
            out = {
                "none": status(path), "health": status("/health"),
                "bearer": status(path, "Bearer s3cret-token"), "wrong": status(path, "Bearer s3cret-tokem"),
                "short": status(path, "Bearer s3cret"), "longer": status(path, "Bearer s3cret-token-and-more"),
                "basic": status(path, "Basic " + base64.b64encode(b"me:s3cret-token").decode()),
                "basic_wrong": status(path, "Basic " + base64.b64encode(b"s3cret-token:x").decode()),
            }
            import mlflow
            os.environ["MLFLOW_TRACKING_TOKEN"] = "s3cret-token"
            mlflow.set_tracking_uri(url)
            out["client"] = mlflow.set_experiment("guarded").name
            print(json.dumps(out))
            """, [url])
        try #require(result.status == 0, "\(result.stderr)")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.split(separator: "\n").last.map(String.init)?.utf8 ?? "".utf8)) as? [String: Any])
        #expect(out["none"] as? Int == 401 && out["health"] as? Int == 200)
        #expect(out["bearer"] as? Int == 200 && out["wrong"] as? Int == 401 && out["short"] as? Int == 401 && out["longer"] as? Int == 401)
        #expect(out["basic"] as? Int == 200 && out["basic_wrong"] as? Int == 401)
        #expect(out["client"] as? String == "guarded")
    }
}
