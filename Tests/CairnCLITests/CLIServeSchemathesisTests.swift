import Foundation
import Testing
import CairnTestSupport

/// Schemathesis (PyPI, pinned in requirements-test.txt) against Cairn's JSON API, from its OpenAPI
/// document: generated requests (valid and not) to every operation of a served store holding a run
/// with a metric, a checkpoint and a log; no answer may be a 5xx, every answer must match the
/// document's schema, status codes and content type. Bounded in time (seeded, 30 s of fuzzing).
@Suite struct CLIServeSchemathesisTests {
    @Test func generatedRequestsFindNoServerErrorAndNoSchemaViolation() throws {
        let store = try CLITestStore()
        let made = try store.cairn(["exec", "-e", "fuzz/target", "--no-git", "--set", "lr=0.1", "--", "/bin/sh", "-c", "echo hello"])
        try #require(made.status == 0, "\(made.stderr)")
        let runs = try #require(try store.json("run", "ls", "--json") as? [[String: Any]])
        let run = try #require(runs.first?["id"] as? String)
        _ = try store.cairn(["metric", "log", run, "loss=0.5", "--step", "1"])
        let server = try ServeProcess(["--store", store.path], in: store.path)
        defer { _ = server.stop() }
        let tool = URL(fileURLWithPath: TestPython.executable).deletingLastPathComponent().appendingPathComponent("schemathesis").path
        try #require(FileManager.default.isExecutableFile(atPath: tool), "schemathesis is not in the test venv: run scripts/test, which installs requirements-test.txt")
        let document = PackagePaths.root.appendingPathComponent("docs/openapi.json").path
        let result = try TestProcess.run(tool, [
            "run", document, "--url", server.url + "/api/cairn/v1",
            "--checks", "not_a_server_error,response_schema_conformance,content_type_conformance,status_code_conformance",
            "--phases", "coverage,fuzzing", "--max-examples", "25", "--seed", "2026", "--max-time", "30", "--no-color",
        ])
        #expect(result.status == 0, "schemathesis found problems:\n\(result.stdout.suffix(4000))\n\(result.stderr.suffix(2000))")
        #expect(result.stdout.contains("passed"), "\(result.stdout.suffix(2000))")
    }
}
