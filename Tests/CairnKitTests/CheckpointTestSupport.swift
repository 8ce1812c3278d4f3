#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// A fresh store with one run, for one checkpoint test, plus a scratch folder outside the store for
/// source files. Keep it alive for the test's duration.
final class CheckpointFixture: Sendable {
    let base: StoreFixture
    let run: Run

    init(layout: String = BuiltinLayouts.cairn.name, experiment: String = "exp",
         layoutFields: [String: String] = [:]) throws {
        base = try StoreFixture(layoutName: layout)
        run = try base.store.createRun(try .plain(experiment, layoutFields: layoutFields))
        try Disk.makeFolder(scratch)
    }

    var store: Store { base.store }
    var root: String { base.root }
    var runFolder: String { run.absoluteFolder }
    /// A folder outside the store for the sources of `.files` saves.
    var scratch: String { base.directory.appending("scratch").path }

    func open() throws -> RunCheckpoints { try RunCheckpoints.open(store: store, run: run) }
    func view() throws -> CheckpointView { try RunCheckpoints.view(store: store, run: run) }
    var manifestPath: String { get throws { try store.runFilePath(run, .checkpointManifest) } }

    /// Writes `text` to a file in the scratch folder and returns its path.
    func source(_ name: String, _ text: String) throws -> String {
        let path = scratch + "/" + name
        try Disk.write(text, to: path)
        return path
    }

    /// Paths of temporary files anywhere in the store.
    var temporaries: [String] { Disk.tree(root).filter { $0.contains(AtomicFile.temporaryPrefix) } }
}

/// Building save requests.
enum Ckpt {
    /// A file checkpoint written by a closure.
    static func file(_ text: String, ext: String = ".pt") -> CheckpointSource {
        .writer(folder: false, fileExtension: ext) { path in try Data(text.utf8).write(to: URL(fileURLWithPath: path)) }
    }

    /// A folder checkpoint written by a closure: one file per name, holding `name:tag`.
    static func folder(_ names: [String], tag: String) -> CheckpointSource {
        .writer(folder: true, fileExtension: "") { path in
            for name in names { try Data("\(name):\(tag)".utf8).write(to: URL(fileURLWithPath: path + "/" + name)) }
        }
    }

    /// A save at `epoch` (step `step`, else epoch×100, or none when `withStep` is false) whose file
    /// holds `epoch N` unless `text` is given.
    static func at(_ epoch: Int, step: Int? = nil, withStep: Bool = true, _ metrics: [String: Double] = [:],
                   policy: CheckpointPolicy = .init(), text: String? = nil, allowNonFinite: Bool = false) -> CheckpointSaveRequest {
        CheckpointSaveRequest(epoch: epoch, step: step ?? (withStep ? epoch * 100 : nil), metrics: metrics,
                              source: file(text ?? "epoch \(epoch)"), policy: policy, allowNonFinite: allowNonFinite)
    }
}

/// Independent checks of what the checkpoint manager wrote.
enum CkptCheck {
    /// SHA-256 of a file computed by `sha256sum` (not by Cairn).
    static func sha256sum(_ path: String) throws -> String {
        let result = try TestProcess.run("/usr/bin/sha256sum", [path])
        #expect(result.status == 0, "\(result.stderr)")
        return String(result.stdout.prefix(64))
    }

    /// SHA-256 of a flat folder as the manifest defines it (over sorted `NAME\0SHA256\n` lines),
    /// computed with `sha256sum`.
    static func folderSHA256(_ folder: String, scratch: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        var listing = Data()
        for name in names {
            listing.append(contentsOf: Array(name.utf8) + [0] + Array(try sha256sum(folder + "/" + name).utf8) + [10])
        }
        let file = scratch + "/listing-\(UUID().uuidString)"
        try listing.write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try sha256sum(file)
    }

    static func inode(_ path: String) -> UInt64? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return UInt64(info.st_ino)
    }

    static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    static func linkTarget(_ path: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    /// Every pointer of the run resolves to a kept checkpoint whose bytes have its recorded sha256.
    static func pointersSound(_ view: CheckpointView, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (name, path) in view.pointerPaths.sorted(by: { $0.key < $1.key }) {
            let entry = try #require(view.entry(pointer: name), "pointer \(name) names no kept checkpoint",
                                     sourceLocation: sourceLocation)
            let resolved = try #require(PointerWriter.resolve(path), "pointer \(name) does not resolve",
                                        sourceLocation: sourceLocation)
            if isSymlink(path) {
                #expect(Paths.normalize(resolved) == view.absolutePath(entry), sourceLocation: sourceLocation)
            }
            let digest = try StagedCheckpoint.digest(of: resolved, isFolder: entry.kind == .folder)
            #expect(digest.sha256 == entry.sha256, "pointer \(name)", sourceLocation: sourceLocation)
        }
    }

    /// The kept entries' epochs, oldest first.
    static func keptEpochs(_ view: CheckpointView) -> [Int] { view.kept.map { $0.epoch ?? -1 } }

    /// Which pointer names lead to which epochs.
    static func pointerEpochs(_ view: CheckpointView) -> [String: Int] {
        var out: [String: Int] = [:]
        for name in view.state.pointers.keys { if let entry = view.entry(pointer: name) { out[name] = entry.epoch } }
        return out
    }
}
