import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a tensor or event file holds: its entries (name, dtype, shape, bytes), metadata and totals.",
            discussion: "Reads NumPy .npy files (versions 1.0–3.0), safetensors files (only the header of either, however large the file), PyTorch checkpoints (torch.save since 1.6, .pt/.pth/.ckpt: every tensor with its dtype, shape and bytes, and the numbers and strings beside them; the pickle is read without running anything) and TensorBoard event files (a damaged one up to the damage). The format is recognised by the file's first bytes, not its name. Needs no store, unless --run names a run: FILE is then a path inside its folder (a checkpoint, an artifact, embeddings/val_embeddings.npy), in an adopted tree too; or --checkpoint best|last|epoch=N|step=N names one of its checkpoints instead of FILE.")

        @Argument(help: "The file (with --run, its path inside the run folder).", completion: .file()) var file: String?
        @Option(name: .customLong("run"), help: ArgumentHelp("A run: FILE is a path inside its folder.", valueName: "run"))
        var runReference: RunReference?
        @Option(help: ArgumentHelp("One of the run's checkpoints instead of FILE: best, last, epoch=N or step=N.", valueName: "selector"))
        var checkpoint: CheckpointSelector?
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: JSONFlag

        func validate() throws {
            if (file == nil) == (checkpoint == nil) { throw ValidationError("give a FILE or --checkpoint, one of them") }
            if checkpoint != nil && runReference == nil { throw ValidationError("--checkpoint names a checkpoint of a run: give --run too") }
        }

        func run() throws {
            var path = file ?? ""
            if let runReference {
                let store = try storeOptions.open()
                let run = try store.run(runReference)
                if let checkpoint {
                    path = try RunCheckpoints.read(store: store, run: run).checkpoint(checkpoint).path
                } else {
                    path = try store.runFile(of: run, at: try ArtifactPath(path))
                }
            }
            try output.print(try TensorFileInspector.inspect(path)) { InspectText.inspection($0) }
        }
    }
}
