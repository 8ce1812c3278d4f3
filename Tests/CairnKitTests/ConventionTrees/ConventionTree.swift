import CairnCore
import Foundation

/// A tree of files written the way one convention's training scripts write them, generated from a
/// seed (``ConventionTreeGenerator``), with what adopting it with that convention's layout must find.
struct ConventionTree: CustomStringConvertible {
    /// One file of the tree: its bytes, or a relative symlink to another file of the tree.
    enum Entry {
        case file(bytes: [UInt8])
        case symlink(target: String)
    }

    /// What adoption must record for one run.
    struct ExpectedRun: Equatable {
        var experiment: String
        var status: RunStatus = .finished
        /// Checkpoint items (file or folder, relative to the run folder) → their epoch and step; nil
        /// where the tree does not say.
        var checkpoints: [String: Position] = [:]
        /// The item `last` must name (also what `ckpt latest` answers), if any.
        var last: String?
        /// The item `best` must name, if any.
        var best: String?
        /// Params the run's config gives (flattened keys → text), checked where given.
        var params: [String: String] = [:]
        /// The experiment the run's experiment continues from, when its config names one that is there.
        var parentExperiment: String?
    }

    /// A checkpoint's epoch and step as the tree gives them.
    struct Position: Equatable, CustomStringConvertible {
        var epoch: Int?
        var step: Int?
        var description: String { "(epoch \(epoch.map(String.init) ?? "-"), step \(step.map(String.init) ?? "-"))" }
    }

    /// The layout that reads it.
    let layout: String
    /// The seed it was made from (in failure messages, to make it again).
    let seed: UInt64
    /// Paths relative to the tree's root, in the order they are written (so modification times follow it).
    var entries: [(path: String, entry: Entry)] = []
    /// Run folder (relative to the root) → what adoption must record.
    var runs: [String: ExpectedRun] = [:]
    /// Files the layout does not explain (relative to the root).
    var unexplained: Set<String> = []

    init(layout: String, seed: UInt64) {
        self.layout = layout
        self.seed = seed
    }

    var description: String { "\(layout) tree from seed \(seed)" }

    /// Adds a file with some bytes that tell it apart.
    mutating func file(_ path: String, _ text: String? = nil) {
        entries.append((path, .file(bytes: Array((text ?? "bytes of \(path) in tree \(seed)\n").utf8))))
    }

    /// Adds a relative symlink at `path` to the file `target` (both relative to the root).
    mutating func symlink(_ path: String, to target: String) {
        entries.append((path, .symlink(target: TreePath.relative(from: TreePath.parent(path), to: target))))
    }

    /// Writes the tree under `root`, one file after the other, each a millisecond newer than the last
    /// (so "newest by modification time" is the order written).
    func write(to root: String) throws {
        let manager = FileManager.default
        var time = Date(timeIntervalSince1970: 1_700_000_000)
        for (path, entry) in entries {
            let full = root + "/" + path
            try manager.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            switch entry {
            case .file(let bytes):
                try Data(bytes).write(to: URL(fileURLWithPath: full))
                try manager.setAttributes([.modificationDate: time], ofItemAtPath: full)
            case .symlink(let target):
                try manager.createSymbolicLink(atPath: full, withDestinationPath: target)
            }
            time += 1
        }
    }
}
