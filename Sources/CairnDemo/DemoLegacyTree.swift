import CairnCore
import CairnKit

/// The demo's adoption step: the checkpoints the demo kept are copied into a hand-rolled tree in the
/// typed-folders convention's old flat form (`checkpoints/<setting>_model_checkpoint_<epoch>/` and
/// `checkpoints/best_model/`, each with the weights and a `config.json` naming its model type), which
/// Cairn then adopts in place and migrates to the documented `checkpoints/<type>/…` layout.
public enum DemoLegacyTree {
    /// What the step did.
    public struct Outcome: Sendable {
        /// The hand-rolled tree, now an adopted store in the `typed-folders` layout.
        public var tree: String
        /// What adopting it (in the `typed-folders-legacy` layout) found and recorded.
        public var adopted: AdoptReport
        /// Checkpoints hashed by `ckpt verify` once adopted (their sha256 recorded).
        public var hashed: Int
        /// The migration to the `typed-folders` layout.
        public var migrated: MigrationReport
        /// After the migration: checkpoints whose recorded sha256 came with them.
        public var carried: Int
        /// After the migration: checkpoints checked by `ckpt verify` against their sha256 from before it.
        public var checked: Int
        /// After the migration: checkpoints that did not match (missing or changed).
        public var mismatches: Int
        /// Runs the next command found after the training kept writing the tree (a new model type's folder).
        public var laterRuns: Int
        /// Checkpoints the next command found after the training kept writing the tree (one more folder
        /// checkpoint of a known run, and the new run's).
        public var laterCheckpoints: Int
        /// The tree migrated to Cairn's own layout and back to `typed-folders`.
        public var roundTrip: RoundTrip
    }

    /// A migration to Cairn's own layout and back.
    public struct RoundTrip: Sendable {
        /// Files moved into Cairn's layout, and back.
        public var movedThere: Int
        public var movedBack: Int
        /// Files (and link texts) of the tree not where they were before the round trip, back in its layout.
        public var changedPaths: Int
        /// Checkpoints checked by `ckpt verify` after the round trip, and those that did not match.
        public var checked: Int
        public var mismatches: Int
    }

    /// Builds the tree in a new folder under the demo store, adopts it, hashes its checkpoints, migrates
    /// it, and verifies them against the hashes from before the move.
    /// - Parameters:
    ///   - runs: the demo's runs (their settings' names are the model types).
    ///   - best: the best run, whose best checkpoint becomes `best_model/`.
    static func showcase(store: Store, runs: [DemoRunResult], best: DemoRunResult?) throws(CairnError) -> Outcome {
        var random = SystemRandomNumberGenerator()
        let tree = store.root + "/imported/tree-\(String(random.next() % 0xFFFF_FFFF, radix: 36))"
        for result in runs {
            let view = try RunCheckpoints.view(store: store, run: result.run)
            for entry in view.kept where entry.kind == .file {
                guard let epoch = entry.epoch else { continue }
                let folder = tree + "/checkpoints/\(result.setting.name)_model_checkpoint_\(epoch)"
                try write(model: view.absolutePath(entry), type: result.setting.name, epoch: epoch, into: folder)
            }
        }
        if let best, let checkpoint = best.best, checkpoint.entry.kind == .file {
            try write(model: checkpoint.path, type: best.setting.name, epoch: nil, into: tree + "/checkpoints/best_model")
        }
        let adopted = try Store.adopt(AdoptRequest(tree: tree, layout: BuiltinLayouts.typedFoldersLegacy.name))
        let legacy = try Store.open(at: tree)
        let hashed = try verifyAll(legacy).checked
        let migrated = try legacy.migrate(to: BuiltinLayouts.typedFolders.name, mapping: FieldMapping(), dryRun: false)
        let moved = try Store.open(at: tree)  // its cairn.yaml now names the new layout
        var carried = 0
        for summary in try moved.runs() {
            carried += try RunCheckpoints.view(store: moved, run: summary.run).kept.filter { !$0.sha256.isEmpty }.count
        }
        let after = try verifyAll(moved)
        let later = try keepWriting(moved)
        return Outcome(tree: tree, adopted: adopted, hashed: hashed, migrated: migrated, carried: carried,
                       checked: after.checked, mismatches: after.problems, laterRuns: later.runs, laterCheckpoints: later.checkpoints,
                       roundTrip: try roundTrip(tree))
    }

    /// Migrates the tree to Cairn's own layout and back, and checks it: every path as before, every
    /// checkpoint's sha256 as recorded before.
    private static func roundTrip(_ tree: String) throws(CairnError) -> RoundTrip {
        let store = try Store.open(at: tree)
        _ = try verifyAll(store)  // the checkpoints written since adoption get their sha256
        let before = try store.treeFiles()
        let there = try store.migrate(to: BuiltinLayouts.cairn.name, mapping: FieldMapping(), dryRun: false)
        let back = try Store.open(at: tree).migrate(to: BuiltinLayouts.typedFolders.name, mapping: FieldMapping(), dryRun: false)
        let returned = try Store.open(at: tree)
        let after = try returned.treeFiles()
        let changed = Set(before).symmetricDifference(after).count
        let verified = try verifyAll(returned)
        return RoundTrip(movedThere: there.moved, movedBack: back.moved, changedPaths: changed,
                         checked: verified.checked, mismatches: verified.problems)
    }

    /// The training keeps writing the tree in its convention after adoption: one more checkpoint folder
    /// of the first model type, and a first one of a new model type. The next open of the store finds
    /// both, with no step in between. Returns the runs and checkpoints it found that were not there.
    private static func keepWriting(_ store: Store) throws(CairnError) -> (runs: Int, checkpoints: Int) {
        func counts(_ store: Store) throws(CairnError) -> (runs: Int, checkpoints: Int) {
            var checkpoints = 0
            let all = try store.runs()
            for summary in all { checkpoints += try RunCheckpoints.view(store: store, run: summary.run).kept.count }
            return (all.count, checkpoints)
        }
        let before = try counts(store)
        // The tree's runs are its model types now; the first one's newest weights stand for new ones.
        guard let first = try store.runs().first?.run,
              case let view = try RunCheckpoints.view(store: store, run: first), let model = view.kept.last else { return (0, 0) }
        let type = first.record.experiment
        let weights = view.absolutePath(model) + (model.kind == .folder ? "/model.safetensors" : "")
        let next = (view.kept.compactMap(\.epoch).max() ?? 0) + 1
        try write(model: weights, type: type, epoch: next, into: store.treeRoot + "/checkpoints/\(type)/\(type)_model_checkpoint_\(next)")
        try write(model: weights, type: "ensemble", epoch: 1, into: store.treeRoot + "/checkpoints/ensemble/ensemble_model_checkpoint_1")
        let after = try counts(try Store.open(at: store.root, logger: store.logger))
        return (after.runs - before.runs, after.checkpoints - before.checkpoints)
    }

    /// `ckpt verify` on every run of `store`: checkpoints checked and problems found.
    private static func verifyAll(_ store: Store) throws(CairnError) -> (checked: Int, problems: Int) {
        var total = (checked: 0, problems: 0)
        for summary in try store.runs() {
            let result = try RunCheckpoints.open(store: store, run: summary.run).verify()
            total.checked += result.checked
            total.problems += result.problems.count
        }
        return total
    }

    private static func write(model: String, type: String, epoch: Int?, into folder: String) throws(CairnError) {
        try DemoFiles.makeDirectories(folder)
        try DemoFiles.copy(model, to: folder + "/model.safetensors")
        var config = #"{"model_type": "\#(type)""#
        if let epoch { config += #", "epoch": \#(epoch)"# }
        try DemoFiles.write(config + "}\n", to: folder + "/config.json")
    }
}
