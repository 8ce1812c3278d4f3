import CairnCore
import CairnTestSupport
import Foundation
import Logging
import Testing
@testable import CairnKit

/// A fresh store in a fresh temporary folder, for one test. Keep the fixture alive for the test's
/// duration: the folder is removed when it goes away.
final class StoreFixture: Sendable {
    let directory: TemporaryDirectory
    let store: Store

    init(layoutName: String = BuiltinLayouts.cairn.name, logger: Logger = Store.discardingLogger,
         clock: any WallClock = SystemWallClock()) throws {
        directory = try TemporaryDirectory("cairn-kit")
        store = try Store.initialize(at: directory.appending("store").path, layoutName: layoutName, logger: logger, clock: clock)
    }

    var root: String { store.root }
}

/// The kinds of errors tests expect, with the error itself for further checks.
enum Expect {
    /// Runs `body`, which must throw a ``CairnError`` of `kind`; returns the error.
    @discardableResult
    static func error<T>(_ kind: CairnError.Kind, sourceLocation: SourceLocation = #_sourceLocation,
                         _ body: () throws -> T) -> CairnError? {
        do {
            _ = try body()
            Issue.record("expected a \(kind) error, but nothing was thrown", sourceLocation: sourceLocation)
            return nil
        } catch let error as CairnError {
            #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
            return error
        } catch {
            Issue.record("expected a CairnError of kind \(kind), got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }
}

extension RunRequest {
    /// A request that does not ask git (the tests' working directory is not theirs to depend on).
    static func plain(_ experiment: String, name: String? = nil, config: ConfigValue? = nil,
                      overrides: [String] = [], tags: [String: String] = [:], layoutFields: [String: String] = [:],
                      command: [String] = [], owner: LeaseOwner = .currentProcess) throws(CairnError) -> RunRequest {
        RunRequest(experiment: try ExperimentName(experiment), name: name, config: config, configOverrides: overrides,
                   tags: tags, layoutFields: layoutFields, command: command, captureGit: false, owner: owner)
    }
}

/// Small helpers for reading what the store wrote.
enum Disk {
    /// Every path under `root`, relative to it, sorted (folders end with `/`).
    static func tree(_ root: String) -> [String] {
        let base = URL(fileURLWithPath: root).standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
        var paths: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: base + "/" + relative, isDirectory: &isDirectory)
            paths.append(exists && isDirectory.boolValue ? relative + "/" : relative)
        }
        return paths.sorted()
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// A JSON object file as a dictionary.
    static func jsonObject(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(path) is not an object")
    }

    /// A JSON file of string → string.
    static func stringMap(_ path: String) throws -> [String: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode([String: String].self, from: data)
    }

    static func makeFolder(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
}
