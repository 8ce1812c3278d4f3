import Foundation
import Testing
import CairnTestSupport

/// The web UI's side of `cairn serve`, over HTTP (the browser tests drive the pages themselves): the
/// files embedded in the binary are the repository's, byte for byte, with entity tags; `--ui-dir` serves
/// a folder and refuses paths out of it; every response carries the Content-Security-Policy; with a
/// token, pages redirect to the login page, which sets an HttpOnly, SameSite=Strict session cookie
/// (never the token itself) only for the right token; and the API routes the UI added (config,
/// artifacts, compare, last activity, the column of a filter's error).
@Suite(.serialized) struct CLIServeWebUITests {
    static let assets = PackagePaths.root.appendingPathComponent("Sources/CairnWebUI/assets")

    /// GETs and POSTs without following redirects: prints one JSON object of answers.
    static let client = #"""
        import json, sys, urllib.request, urllib.error
        url = sys.argv[1]
        requests = json.loads(sys.argv[2])
        class Keep(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None
        opener = urllib.request.build_opener(Keep)
        out = []
        for item in requests:
            request = urllib.request.Request(url + item["path"], data=item.get("form", "").encode() if "form" in item else None,
                                             headers=item.get("headers", {}), method=item.get("method", "GET"))
            try:
                response = opener.open(request)
                status, headers, body = response.status, response.headers, response.read()
            except urllib.error.HTTPError as error:
                status, headers, body = error.code, error.headers, error.read()
            out.append({"status": status, "headers": {k.lower(): v for k, v in headers.items()},
                        "cookies": headers.get_all("Set-Cookie") or [], "body": body.decode("latin-1")})
        print(json.dumps(out))
        """#

    struct Answer {
        let status: Int
        let headers: [String: String]
        let cookies: [String]
        let body: String

        /// The body's bytes (the client decodes them as latin-1: one character per byte).
        var bytes: Data { Data(body.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }) }
    }

    static func ask(_ url: String, _ requests: [[String: Any]]) throws -> [Answer] {
        let text = String(decoding: try JSONSerialization.data(withJSONObject: requests), as: UTF8.self)
        let result = try TestPython.run(client, [url, text])
        try #require(result.status == 0, "\(result.stderr)")
        let answers = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        return answers.map { answer in
            Answer(status: answer["status"] as? Int ?? 0, headers: answer["headers"] as? [String: String] ?? [:],
                   cookies: answer["cookies"] as? [String] ?? [], body: answer["body"] as? String ?? "")
        }
    }

    /// The files of the assets folder, relative to it.
    static func assetPaths() throws -> [String] {
        let names = try #require(FileManager.default.subpaths(atPath: assets.path))
        return names.filter { name in
            var folder: ObjCBool = false
            return FileManager.default.fileExists(atPath: assets.appendingPathComponent(name).path, isDirectory: &folder) && !folder.boolValue
                && !name.split(separator: "/").contains { $0.hasPrefix(".") }
        }.sorted()
    }

    @Test func theBinaryServesTheRepositorysFilesWithTheirPolicy() throws {
        let store = try CLITestStore()
        let server = try ServeProcess(["--store", store.path], in: store.path)
        defer { _ = server.stop() }
        let paths = try Self.assetPaths()
        #expect(paths.contains("index.html") && paths.contains("app.js"), "the UI's files: \(paths)")
        var requests: [[String: Any]] = [["path": "/"]]
        for path in paths { requests.append(["path": "/ui/" + path]) }
        requests += [["path": "/ui/nope.js"], ["path": "/api/cairn/v1/store"]]
        let answers = try Self.ask(server.url, requests)
        // The page names its files under /ui/v-VERSION/, cached for good; the rest of it is index.html as is.
        let index = try String(contentsOf: Self.assets.appendingPathComponent("index.html"), encoding: .utf8)
        let page = answers[0].body
        let version = try #require(page.firstMatch(of: /"\/ui\/v-([0-9a-f]{16})\/app\.js"/)?.1)
        #expect(answers[0].status == 200 && page == index.replacing("\"/ui/", with: "\"/ui/v-\(version)/"))
        #expect(answers[0].headers["content-type"] == "text/html; charset=utf-8")
        for (path, answer) in zip(paths, answers.dropFirst()) {
            let bytes = try Data(contentsOf: Self.assets.appendingPathComponent(path))
            #expect(answer.status == 200 && (path == "index.html" ? answer.body == page : answer.bytes == bytes), "/ui/\(path)")
            #expect(answer.headers["etag"]?.hasPrefix("\"") == true)
            if path.hasSuffix(".js") { #expect(answer.headers["content-type"] == "text/javascript; charset=utf-8") }
        }
        #expect(answers[answers.count - 2].status == 404)
        // The policy is on pages, files and the API alike: no inline script, nothing from elsewhere.
        for answer in answers {
            let policy = answer.headers["content-security-policy"] ?? ""
            #expect(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline") && policy.contains("default-src 'none'"))
            #expect(answer.headers["x-content-type-options"] == "nosniff")
        }
        let versioned = try Self.ask(server.url, [["path": "/ui/v-\(version)/app.js"], ["path": "/ui/v-0123456789abcdef/app.js"],
                                                 ["path": "/ui/v-\(version)/../index.html"]])
        #expect(versioned[0].status == 200 && versioned[0].headers["cache-control"] == "public, max-age=31536000, immutable")
        #expect(versioned[0].body == answers[1 + (paths.firstIndex(of: "app.js") ?? 0)].body)
        #expect(versioned[1].status == 200 && versioned[1].headers["cache-control"] == "no-cache")
        #expect(versioned[2].status == 404)
        // An unchanged file is not sent again.
        let tag = answers[1].headers["etag"] ?? ""
        let again = try Self.ask(server.url, [["path": "/ui/" + paths[0], "headers": ["If-None-Match": tag]]])
        #expect(again[0].status == 304 && again[0].body.isEmpty)
    }

    @Test func aUIFolderIsServedFromDiskAndNothingOutsideIt() throws {
        let store = try CLITestStore()
        let folder = try TemporaryDirectory("cairn-ui-dir")
        let outside = try TemporaryDirectory("cairn-ui-outside")
        try "<!doctype html><title>edited</title>".write(toFile: folder.path + "/index.html", atomically: true, encoding: .utf8)
        try "secret".write(toFile: outside.path + "/secret.txt", atomically: true, encoding: .utf8)
        try "hidden".write(toFile: folder.path + "/.env", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/link.txt", withDestinationPath: outside.path + "/secret.txt")
        let server = try ServeProcess(["--store", store.path, "--ui-dir", folder.path], in: store.path)
        defer { _ = server.stop() }
        let escapes = ["/ui/../../etc/passwd", "/ui/%2e%2e/%2e%2e/etc/passwd", "/ui/%2e%2e%2fsecret.txt", "/ui/.env", "/ui/link.txt",
                       "/ui/a%00b", "/ui/..%5csecret.txt"]
        let answers = try Self.ask(server.url, [["path": "/"]] + escapes.map { ["path": $0] })
        #expect(answers[0].status == 200 && answers[0].body.contains("edited"))
        for (path, answer) in zip(escapes, answers.dropFirst()) {
            #expect(answer.status == 404 && answer.body != "secret" && answer.body != "hidden" && !answer.body.contains("root:"), "\(path): \(answer.status)")
        }
        // An edit shows on the next request, without a restart.
        try "<!doctype html><title>edited again</title>".write(toFile: folder.path + "/index.html", atomically: true, encoding: .utf8)
        #expect(try Self.ask(server.url, [["path": "/"]])[0].body.contains("edited again"))
    }

    @Test func aFolderWithoutTheUIIsRefusedInOneLine() throws {
        let store = try CLITestStore()
        let empty = try TemporaryDirectory("cairn-ui-empty")
        let result = try store.cairn(["serve", "--port", "0", "--ui-dir", empty.path])
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count <= 2 && result.stderr.contains(empty.path) && result.stderr.contains("index.html"), "\(result.stderr)")
    }

    @Test func withATokenTheLoginPageSetsASessionCookie() throws {
        let store = try CLITestStore()
        let token = "s3cret token+&="
        let server = try ServeProcess(["--store", store.path, "--token", token], in: store.path)
        defer { _ = server.stop() }
        let encoded = try #require(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let answers = try Self.ask(server.url, [
            ["path": "/"], ["path": "/ui/app.js"], ["path": "/ui/login.js"], ["path": "/ui/app.css"], ["path": "/login"],
            ["path": "/api/cairn/v1/store"], ["path": "/login", "method": "POST", "form": "token=wrong"],
            ["path": "/login", "method": "POST", "form": "token=" + encoded],
        ])
        #expect(answers[0].status == 303 && answers[0].headers["location"] == "/login")
        #expect(answers[1].status == 401)
        #expect(answers[2].status == 200 && answers[3].status == 200 && answers[4].status == 200 && answers[4].body.contains("<form"))
        #expect(answers[5].status == 401)
        #expect(answers[6].status == 303 && answers[6].headers["location"] == "/login?failed=1" && answers[6].cookies.isEmpty)
        #expect(answers[7].status == 303 && answers[7].headers["location"] == "/")
        let cookie = try #require(answers[7].cookies.first)
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
        #expect(!cookie.contains(token) && !cookie.contains(encoded))
        let session = try #require(cookie.split(separator: ";").first.map(String.init))
        let inside = try Self.ask(server.url, [
            ["path": "/", "headers": ["Cookie": session]], ["path": "/api/cairn/v1/store", "headers": ["Cookie": "other=1; " + session]],
            ["path": "/api/cairn/v1/store", "headers": ["Cookie": "cairn_session=0000"]],
            ["path": "/api/cairn/v1/store", "headers": ["Authorization": "Bearer " + token]],
            ["path": "/logout", "method": "POST", "form": ""],
        ])
        #expect(inside[0].status == 200 && inside[1].status == 200)
        #expect(inside[2].status == 401 && inside[3].status == 200)
        #expect(inside[4].status == 303 && inside[4].cookies.first?.contains("Max-Age=0") == true)
    }

    @Test func theRoutesTheUIUsesAnswer() throws {
        let store = try CLITestStore()
        let config = try TemporaryDirectory("cairn-ui-config")
        try "model:\n  width: 64\nlr: 0.01\n".write(toFile: config.path + "/c.yaml", atomically: true, encoding: .utf8)
        var ids: [String] = []
        for lr in ["0.01", "0.1"] {
            let made = try store.cairn(["exec", "-e", "ui/demo", "--no-git", "--config", config.path + "/c.yaml", "--set", "lr=" + lr, "--", "/bin/true"])
            try #require(made.status == 0, "\(made.stderr)")
        }
        let runs = try #require(try store.json("run", "ls", "-e", "ui/demo", "--json") as? [[String: Any]])
        ids = runs.compactMap { $0["id"] as? String }
        try #require(ids.count == 2)
        let file = config.path + "/weights file.bin"
        try Data("abc".utf8).write(to: URL(fileURLWithPath: file))
        let put = try store.cairn(["artifact", "put", ids[0], file])
        try #require(put.status == 0, "\(put.stderr)")
        for step in 0..<6 {
            let logged = try store.cairn(["metric", "log", ids[0], "loss=\(Double(step) / 10)", "--step", String(step)])
            try #require(logged.status == 0, "\(logged.stderr)")
        }
        let server = try ServeProcess(["--store", store.path], in: store.path)
        defer { _ = server.stop() }
        let answers = try Self.ask(server.url, [
            ["path": "/api/cairn/v1/runs/\(ids[0])/config"], ["path": "/api/cairn/v1/runs/\(ids[0])/artifacts"],
            ["path": "/api/cairn/v1/runs/\(ids[0])/artifact?path=weights%20file.bin"],
            ["path": "/api/cairn/v1/runs/\(ids[0])/artifact?path=../run.json"],
            ["path": "/api/cairn/v1/compare?runs=\(ids[0])&runs=\(ids[1])"], ["path": "/api/cairn/v1/experiments"],
            ["path": "/api/cairn/v1/runs?filter=params.lr%20%3C%3C%201"],  // the second < is column 12
            ["path": "/api/cairn/v1/keys?experiment=ui/*"],
            ["path": "/api/cairn/v1/runs?order_by=params.lr%20DES"],  // DES is column 11
            ["path": "/api/cairn/v1/runs/\(ids[0])/series?key=loss&from=2&to=4&points=100"],
            ["path": "/api/cairn/v1/runs/\(ids[0])/series?key=loss&from=5&to=4"],
            ["path": "/api/cairn/v1/runs/\(ids[0])/checkpoints?all=yes"],
            ["path": "/api/cairn/v1/runs?experiment=ui/*&order_by=attributes.duration%20DESC&columns=attributes.duration"],
            ["path": "/api/cairn/v1/check?filter=params.lr%20%3C%3C%201"], ["path": "/api/cairn/v1/check?filter=params.lr%20%3D%20'0.1'&order_by=nope"],
            ["path": "/api/cairn/v1/check?filter=params.lr%20%3D%20'0.1'&order_by=metrics.loss%20DESC"],
        ])
        #expect(answers[0].status == 200 && answers[0].body.contains("width: 64") && answers[0].headers["content-type"]?.hasPrefix("text/plain") == true)
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(answers[1].body.utf8)) as? [[String: Any]])
        #expect(listing.map { $0["relative_path"] as? String } == ["weights file.bin"])
        #expect(answers[2].status == 200 && answers[2].body == "abc")
        #expect(answers[2].headers["content-disposition"] == "attachment; filename*=UTF-8''weights%20file.bin")
        #expect(answers[3].status == 400)
        let comparison = try #require(try JSONSerialization.jsonObject(with: Data(answers[4].body.utf8)) as? [String: Any])
        let differing = (comparison["params"] as? [[String: Any]])?.compactMap { $0["key"] as? String }
        #expect(differing == ["lr"] && (comparison["runs"] as? [Any])?.count == 2)
        let experiments = try #require(try JSONSerialization.jsonObject(with: Data(answers[5].body.utf8)) as? [[String: Any]])
        #expect(experiments.first?["last_activity"] is String)
        let error = try #require((try JSONSerialization.jsonObject(with: Data(answers[6].body.utf8)) as? [String: Any])?["error"] as? [String: Any])
        #expect(answers[6].status == 400 && error["column"] as? Int == 12, "\(error)")
        // The column chooser's keys: lr differs between the two runs, model.width does not.
        let keys = try #require(try JSONSerialization.jsonObject(with: Data(answers[7].body.utf8)) as? [String: Any])
        let params = (keys["params"] as? [[String: Any]] ?? []).map { [$0["key"] as? String ?? "", String(describing: $0["values"] ?? "")] }
        #expect(keys["runs"] as? Int == 2 && params == [["lr", "2"], ["model.width", "1"]], "\(keys)")
        let ordering = try #require((try JSONSerialization.jsonObject(with: Data(answers[8].body.utf8)) as? [String: Any])?["error"] as? [String: Any])
        #expect(answers[8].status == 400 && ordering["column"] as? Int == 11 && (ordering["message"] as? String)?.contains("'params.lr DES'") == true)
        // A zoomed chart's steps only; a range backwards and a flag that is no boolean are refused.
        let zoomed = try #require(try JSONSerialization.jsonObject(with: Data(answers[9].body.utf8)) as? [String: Any])
        #expect(zoomed["count"] as? Int == 3 && (zoomed["buckets"] as? [[String: Any]])?.compactMap { $0["step"] as? Int } == [2, 3, 4])
        #expect(answers[10].status == 400 && answers[11].status == 400)
        // Runs sort by their duration (milliseconds from start to end), longest first.
        let byDuration = try #require(try JSONSerialization.jsonObject(with: Data(answers[12].body.utf8)) as? [[String: Any]])
        let durations = byDuration.compactMap { ($0["columns"] as? [String: Any])?["attributes.duration"] as? Int }
        #expect(durations.count == 2 && durations == durations.sorted(by: >), "\(byDuration)")
        // The filter box's check answers 200 either way, with the column of a mistake.
        let checks = try answers[13...15].map { answer in try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]) }
        #expect(answers[13...15].allSatisfy { $0.status == 200 })
        #expect(checks[0]["valid"] as? Bool == false && checks[0]["column"] as? Int == 12 && checks[0]["part"] as? String == "filter")
        #expect(checks[1]["valid"] as? Bool == false && checks[1]["part"] as? String == "ordering" && checks[1]["column"] as? Int == 1)
        #expect(checks[2]["valid"] as? Bool == true && checks[2]["message"] is NSNull)
    }
}
