#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore

/// The demo's adoption step: the checkpoints the demo kept are copied into a hand-rolled tree in seed
/// 003's old flat convention (`checkpoints/<setting>_model_checkpoint_<epoch>/` and `checkpoints/best_model/`,
/// each with the weights and a `config.json` naming its model type), which Cairn then adopts in place
/// and migrates to the documented `checkpoints/<type>/…` layout.
public enum DemoLegacyTree {
    /// What the step did.
    public struct Outcome: Sendable {
        /// The hand-rolled tree, now an adopted store in the `typed-folders` layout.
        public var tree: String
        public var adopted: AdoptReport
        public var migrated: MigrationReport
    }

    /// Builds the tree in a new folder under the demo store, adopts it and migrates it.
    /// - Parameter runs: the demo's runs (their names are the settings).
    public static func showcase(store: Store, runs: [Run]) throws(CairnError) -> Outcome {
        var random = SystemRandomNumberGenerator()
        let tree = Paths.join(store.root, "imported/tree-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
        var best: (path: String, value: Double, type: String)?
        for run in runs {
            let type = run.record.name ?? run.id.value
            let view = try RunCheckpoints.view(store: store, run: run.id.value)
            for entry in view.kept where entry.kind == .file {
                let folder = Paths.join(tree, "checkpoints/\(type)_model_checkpoint_\(entry.epoch)")
                try write(model: view.absolutePath(entry), type: type, epoch: entry.epoch, into: folder)
                if let loss = entry.metrics["val_loss"], loss.isFinite, loss < (best?.value ?? .infinity) {
                    best = (view.absolutePath(entry), loss, type)
                }
            }
        }
        if let best {
            try write(model: best.path, type: best.type, epoch: nil, into: Paths.join(tree, "checkpoints/best_model"))
        }
        let adopted = try Store.adopt(AdoptRequest(tree: tree, layout: BuiltinLayouts.typedFoldersLegacy.name))
        let migrated = try Store.open(at: tree).migrate(to: BuiltinLayouts.typedFolders.name, mapping: FieldMapping(), dryRun: false)
        return Outcome(tree: tree, adopted: adopted, migrated: migrated)
    }

    private static func write(model: String, type: String, epoch: Int?, into folder: String) throws(CairnError) {
        try FileSystem.makeDirectories(folder)
        _ = try FileDigest.copyHashing(from: model, to: Paths.join(folder, "model.safetensors"))
        var config = #"{"model_type": "\#(type)""#
        if let epoch { config += #", "epoch": \#(epoch)"# }
        try AtomicFile.write(config + "}\n", to: Paths.join(folder, "config.json"))
    }
}
