import Foundation
import Testing
import CairnTestSupport

/// The OpenAPI document of Cairn's JSON API: generated from the response types, served by `cairn
/// serve`, and kept in the repo (`docs/openapi.json`), where a change that is not committed fails here.
@Suite struct CLIServeOpenAPITests {
    static var committed: String { PackagePaths.root.appendingPathComponent("docs/openapi.json").path }

    @Test func theCommittedDocumentIsTheGeneratedOne() throws {
        let generated = try CLI.run(["serve", "--openapi"])
        try #require(generated.status == 0, "\(generated.stderr)")
        let onDisk = (try? String(contentsOfFile: Self.committed, encoding: .utf8)) ?? ""
        #expect(generated.stdout == onDisk, "docs/openapi.json differs from what cairn serve --openapi generates: regenerate it with 'cairn serve --openapi > docs/openapi.json' and review the change")
    }

    @Test func theDocumentDescribesEveryKeyTheAnswersHave() throws {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(try CLI.run(["serve", "--openapi"]).stdout.utf8)) as? [String: Any])
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
        // The keys of a run and a checkpoint as `--json` writes them (the golden files) are all in their schemas.
        for (schema, golden) in [("Run", "run-new"), ("Checkpoint", "ckpt-best")] {
            let properties = Set(((schemas[schema]?["properties"]) as? [String: Any] ?? [:]).keys)
            let url = PackagePaths.root.appendingPathComponent("Tests/CairnCLITests/Golden/\(golden).json")
            guard let text = try? String(contentsOf: url, encoding: .utf8),
                  let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
            let keys = Set(object.keys)
            #expect(keys.subtracting(properties).isEmpty, "\(schema): \(keys.subtracting(properties).sorted()) missing from the schema")
        }
        let paths = try #require(document["paths"] as? [String: Any])
        #expect(paths.keys.contains("/runs/{run}/series") && paths.keys.contains("/runs"))
    }

    @Test func theServerServesIt() throws {
        let store = try CLITestStore()
        let server = try ServeProcess(["--store", store.path], in: store.path)
        defer { _ = server.stop() }
        let fetched = try TestPython.run("import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1] + '/api/cairn/v1/openapi.json').read().decode())", [server.url])
        #expect(fetched.stdout == (try? String(contentsOfFile: Self.committed, encoding: .utf8)))
    }
}
