import Foundation
import Testing
import CairnTestSupport

/// The web UI in a real browser: `Tests/Browser/ui_test.py` drives headless Chromium (selenium) through
/// the pages of a `cairn serve` over a store made by the `cairn` binary (`Tests/Browser/make_store.py`:
/// grouped experiments, runs with params, metrics over a few hundred steps and checkpoints kept by a
/// policy, a RUNNING run writing its log, a run whose name and tags are markup), then signs in to a
/// second server started with a token. Screenshots go to a temporary folder named in the output, or to
/// `$CAIRN_UI_SCREENSHOTS` (how docs/images/ui-runs.png and ui-run.png are made).
@Suite(.serialized,
       .enabled(if: BrowserTools.missing.isEmpty,
                "needs Chromium, its driver and selenium: apt-get install chromium chromium-driver; pip install -r requirements-test.txt (missing: \(BrowserTools.missing.joined(separator: ", ")))"))
struct CLIServeBrowserTests {
    static let scripts = PackagePaths.root.appendingPathComponent("Tests/Browser")

    /// Runs a script of Tests/Browser with the test Python.
    static func python(_ arguments: [String], _ environment: [String: String?]) throws -> TestProcess.Result {
        let script = scripts.appendingPathComponent(arguments[0]).path
        let exe = TestPython.executable
        return try TestProcess.run(exe, (exe == "/usr/bin/env" ? ["python3"] : []) + [script] + arguments.dropFirst(), environment: environment)
    }

    @Test func pagesWorkInABrowser() throws {
        let store = try TemporaryDirectory("cairn-ui-store")
        let root = store.path + "/store"
        let info = store.path + "/store.json"
        let environment: [String: String?] = ["CAIRN_BIN": PackagePaths.cairnBinary, "CAIRN_STORE": nil]
        let made = try Self.python(["make_store.py", root, info], environment)
        try #require(made.status == 0, "make_store.py failed: \(made.stderr)")
        let details = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: info))) as? [String: Any])
        defer {
            // The live run's `cairn exec` leads its own process group: end it and its command.
            if let pid = details["live_pid"] as? Int { kill(-pid_t(pid), SIGTERM) }
        }

        let screenshots: String
        if let kept = ProcessInfo.processInfo.environment["CAIRN_UI_SCREENSHOTS"], !kept.isEmpty {
            screenshots = kept
        } else {
            screenshots = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-ui-screenshots-\(UUID().uuidString.prefix(8))").path
        }
        print("CLIServeBrowserTests: screenshots in \(screenshots)")

        let open = try ServeProcess(["--store", root], in: store.path)
        defer { _ = open.stop() }
        let token = "ui-test-\(UUID().uuidString.prefix(8))"
        let guarded = try ServeProcess(["--store", root, "--token", token], in: store.path)
        defer { _ = guarded.stop() }

        let result = try Self.python(["ui_test.py", "--url", open.url, "--info", info, "--screenshots", screenshots,
                                      "--token-url", guarded.url, "--token", token], environment)
        #expect(result.status == 0, "ui_test.py failed (screenshots in \(screenshots)):\n\(result.stderr)\n\(result.stdout)")
    }
}

/// What the browser test needs, and which of it is missing.
enum BrowserTools {
    static let chromium = ProcessInfo.processInfo.environment["CAIRN_CHROMIUM"] ?? "/usr/bin/chromium"
    static let chromedriver = ProcessInfo.processInfo.environment["CAIRN_CHROMEDRIVER"] ?? "/usr/bin/chromedriver"

    static let missing: [String] = {
        var missing: [String] = []
        if !FileManager.default.isExecutableFile(atPath: chromium) { missing.append(chromium) }
        if !FileManager.default.isExecutableFile(atPath: chromedriver) { missing.append(chromedriver) }
        let selenium = try? TestPython.run("import selenium")
        if selenium?.status != 0 { missing.append("selenium (Python, \(TestPython.executable))") }
        return missing
    }()
}
