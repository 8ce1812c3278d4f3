import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// Migration on generated convention trees (``ConventionTreeGenerator``): each is adopted with its
/// layout, migrated to Cairn's own layout and back. In Cairn's layout every file's bytes are still
/// there, no link dangles, every run keeps its id and its checkpoints (epoch and step), and `best`
/// and `last` name the same bytes as before; back in its own layout the tree is what it was, path for
/// path and link for link.
@Suite("Migration of generated convention trees")
struct MigrationPropertyTests {
    /// Trees per layout in each run of the suite (five layouts: 200 trees).
    static let treesPerLayout = 40

    @Test(arguments: ConventionTreeGenerator.layouts)
    func generatedTreesMigrateToCairnsLayoutAndBack(layout: String) throws {
        for index in 0..<Self.treesPerLayout {
            let seed = UInt64(index) &* 0x2545_F491 &+ UInt64(ConventionTreeGenerator.layouts.firstIndex(of: layout)!) << 44
            try check(ConventionTreeGenerator.make(layout, seed: seed))
        }
    }

    private func check(_ tree: ConventionTree) throws {
        let directory = try TemporaryDirectory("cairn-migrate-property")
        let root = directory.appending("tree").path
        try tree.write(to: root)
        let before = TreeContents(root)
        _ = try Store.adopt(AdoptRequest(tree: root, layout: tree.layout))
        let adopted = try Self.runs(Store.open(at: root))

        let there = try Store.open(at: root).migrate(to: "cairn", mapping: FieldMapping(), dryRun: false)
        #expect(there.plan.problems.isEmpty, "\(tree): \(there.plan.problemGroups.map { "\($0.count) × \($0.cause) (\($0.example))" })")
        guard there.plan.problems.isEmpty else { return }
        let middle = TreeContents(root)
        #expect(middle.fileBytes == before.fileBytes, "\(tree): the files' bytes changed on the way to Cairn's layout")
        #expect(middle.dangling.isEmpty, "\(tree): links dangle in Cairn's layout: \(middle.dangling)")
        let moved = try Self.runs(Store.open(at: root))
        #expect(Set(moved.keys) == Set(adopted.keys), "\(tree): run ids changed: \(Set(adopted.keys).symmetricDifference(moved.keys))")
        for (id, run) in adopted {
            guard let other = moved[id] else { continue }
            #expect(other.checkpoints == run.checkpoints, "\(tree): run \(id) checkpoints \(run.checkpoints) became \(other.checkpoints)")
            #expect(other.best == run.best, "\(tree): run \(id) best")
            #expect(other.last == run.last, "\(tree): run \(id) last")
        }

        let back = try Store.open(at: root).migrate(to: tree.layout, mapping: FieldMapping(), dryRun: false)
        #expect(back.plan.problems.isEmpty, "\(tree): \(back.plan.problemGroups.map { "\($0.count) × \($0.cause) (\($0.example))" })")
        let after = TreeContents(root)
        #expect(after.entries == before.entries, "\(tree): the tree differs after the round trip: \(after.difference(before))")
        let returned = try Self.runs(Store.open(at: root))
        #expect(returned == adopted, "\(tree): runs differ after the round trip")
    }

    /// What a run's checkpoints are, independent of where they are: their positions, and the bytes
    /// `best` and `last` lead to.
    struct RunContents: Equatable {
        var experiment: String
        var checkpoints: [String]
        var best: String?
        var last: String?
    }

    static func runs(_ store: Store) throws -> [String: RunContents] {
        var out: [String: RunContents] = [:]
        for summary in try store.runs() {
            let run = summary.run
            let view = try RunCheckpoints.view(store: store, run: run)
            let positions = view.kept.map { "(\($0.epoch.map(String.init) ?? "-"), \($0.step.map(String.init) ?? "-"), \(contents(run.absoluteFolder + "/" + $0.path)))" }
            out[run.id.value] = RunContents(experiment: run.record.experiment, checkpoints: positions.sorted(),
                                            best: view.entry(pointer: "best").map { contents(run.absoluteFolder + "/" + $0.path) },
                                            last: view.entry(pointer: "last").map { contents(run.absoluteFolder + "/" + $0.path) })
        }
        return out
    }

    /// A file's bytes as text, or a folder's files and their bytes.
    static func contents(_ path: String) -> String {
        if Disk.isDirectory(path) {
            let files = (FileManager.default.subpaths(atPath: path) ?? []).sorted().filter { !Disk.isDirectory(path + "/" + $0) }
            return files.map { "\($0)=\(contents(path + "/" + $0))" }.joined(separator: ";")
        }
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<unreadable>"
    }
}

/// A tree's files (Cairn's own records left out): each regular file's bytes, each link's text.
struct TreeContents {
    /// Path → `file:BYTES` or `link:TEXT`.
    var entries: [String: String] = [:]
    /// Links that lead nowhere.
    var dangling: [String] = []

    init(_ root: String) {
        let manager = FileManager.default
        for path in (manager.subpaths(atPath: root) ?? []) where !path.hasPrefix(".cairn") && path != "cairn.yaml" {
            let full = root + "/" + path
            if let text = try? manager.destinationOfSymbolicLink(atPath: full) {
                entries[path] = "link:" + text
                if !manager.fileExists(atPath: full) { dangling.append(path) }
            } else if !Disk.isDirectory(full) {
                entries[path] = "file:" + ((try? String(contentsOfFile: full, encoding: .utf8)) ?? "<unreadable>")
            }
        }
    }

    /// The regular files' bytes, wherever they are (sorted).
    var fileBytes: [String] { entries.values.filter { $0.hasPrefix("file:") }.sorted() }

    /// The paths that differ from `other`'s, for messages.
    func difference(_ other: TreeContents) -> [String] {
        Set(entries.keys).union(other.entries.keys).filter { entries[$0] != other.entries[$0] }.sorted().prefix(8).map {
            "\($0): \(entries[$0] ?? "absent") (was \(other.entries[$0] ?? "absent"))"
        }
    }
}
