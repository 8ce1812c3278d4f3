import Foundation
import Testing
import CairnTestSupport

/// A fresh store made with `cairn init` in a temporary folder.
struct CLITestStore {
    let directory: TemporaryDirectory
    var path: String { directory.path }
    var url: URL { directory.url }

    init(layout: String? = nil) throws {
        directory = try TemporaryDirectory("cairn-cli")
        var args = ["init", directory.path]
        if let layout { args += ["--layout", layout] }
        let result = try CLI.run(args)
        try #require(result.status == 0, "cairn init failed: \(result.stderr)")
    }

    /// Runs `cairn ARGS… --store STORE`.
    @discardableResult
    func cairn(_ arguments: String..., environment: [String: String?] = [:], stdin: String? = nil) throws -> TestProcess.Result {
        try cairn(arguments, environment: environment, stdin: stdin)
    }

    @discardableResult
    func cairn(_ arguments: [String], environment: [String: String?] = [:], stdin: String? = nil) throws -> TestProcess.Result {
        // --store goes before a `--` (after it, exec passes everything to the command).
        var args = arguments
        args.insert(contentsOf: ["--store", path], at: arguments.firstIndex(of: "--") ?? arguments.endIndex)
        return try CLI.run(args, environment: environment, stdin: stdin)
    }

    /// Runs a command that must succeed and returns its stdout without the final newline.
    @discardableResult
    func output(_ arguments: String...) throws -> String {
        let result = try cairn(arguments)
        try #require(result.status == 0, "cairn \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    /// Creates a run and returns its id.
    func newRun(_ experiment: String, _ extra: String...) throws -> String {
        let result = try cairn(["run", "new", "-e", experiment, "--json", "--no-git"] + extra)
        try #require(result.status == 0, "run new failed: \(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try #require(object?["id"] as? String)
    }

    func json(_ arguments: String...) throws -> Any { try json(arguments) }

    func json(_ arguments: [String]) throws -> Any {
        let result = try cairn(arguments)
        try #require(result.status == 0, "cairn \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }
}
