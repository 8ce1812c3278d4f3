import Foundation
import Testing
import CairnTestSupport

/// A copy of one of `shared/fixtures/layouts/example`'s trees in a temporary folder (the fixtures are
/// never touched), with helpers to run `cairn` on it.
struct AdoptFixture {
    let directory: TemporaryDirectory
    /// The copied tree's root.
    let tree: URL

    init(_ convention: String) throws {
        directory = try TemporaryDirectory("cairn-adopt")
        tree = directory.appending(convention)
        let source = PackagePaths.shared.appendingPathComponent("fixtures/layouts/example/\(convention)")
        try FileManager.default.copyItem(at: source, to: tree)
    }

    /// Runs `cairn ARGS…` with the tree as the store.
    @discardableResult
    func cairn(_ arguments: String...) throws -> TestProcess.Result {
        try CLI.run(arguments + ["--store", tree.path])
    }

    /// Runs a command that must succeed and parses its `--json` output.
    func json(_ arguments: String...) throws -> Any {
        let result = try CLI.run(arguments + ["--json", "--store", tree.path])
        try #require(result.status == 0, "cairn \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    /// SHA-256 of every regular file under a folder outside Cairn's own `cairn.yaml` and `.cairn/`, by path.
    static func digests(_ root: URL) throws -> [String: String] {
        let result = try TestProcess.run("/bin/sh", ["-c", "find . -path ./.cairn -prune -o -type f ! -name cairn.yaml -print0 | sort -z | xargs -0 -r sha256sum"],
                                         directory: root)
        try #require(result.status == 0, "sha256sum failed: \(result.stderr)")
        var out: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            out[String(parts[1].drop { $0 == " " || $0 == "*" }.dropFirst(2))] = String(parts[0])
        }
        return out
    }
}
