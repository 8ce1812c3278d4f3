import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Ckpt {
    struct CkptAverage: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "average",
            abstract: "Average the weights of some of a run's checkpoints into one file, recorded with its sources.",
            discussion: """
                Floating-point tensors (float32, float64, float16, bfloat16) are averaged; others (an int64 \
                num_batches_tracked) are copied from the newest checkpoint chosen. Every checkpoint must hold the same \
                tensors with the same dtypes and shapes. Inputs: safetensors files or PyTorch checkpoints (a whole \
                training state gives its model_state_dict), mixed. The output's format follows its extension: \
                .safetensors, or .pt/.pth. Without -o it goes where the run's layout puts its average \
                (checkpoints/average.safetensors; average_model.pth for SuperGradients run folders).
                  cairn ckpt average RUN --epochs 10,15,20 -o average_model.safetensors
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runReference: RunReference?
        @Option(help: ArgumentHelp("Average the checkpoints at these epochs, comma-separated (e.g. 10,15,20).", valueName: "epochs"))
        var epochs: EpochList?
        @Option(help: ArgumentHelp("Average the K checkpoints saved last.", valueName: "K")) var last: Int?
        @Option(help: ArgumentHelp("Average the K best checkpoints by the metric the run's policy monitors (or --monitor).", valueName: "K"))
        var top: Int?
        @Option(help: "With --top: the metric that ranks checkpoints (default: the one the run's policy monitors).") var monitor: String?
        @Option(help: "With --top: min | max, whether lower or higher values are better (default: the policy's, else min).")
        var mode: CheckpointPolicy.Mode?
        @Option(name: [.customShort("o"), .customLong("output")],
                help: ArgumentHelp("The file to write, from the current folder (.safetensors, .pt or .pth; default: the layout's average).", valueName: "file"))
        var outputFile: String?
        @Flag(help: "Do not wait for the file to reach the disk (faster; a power loss soon after may lose it).") var noSync = false
        @OptionGroup var output: JSONFlag

        func validate() throws {
            let given = [epochs != nil, last != nil, top != nil].filter { $0 }.count
            guard given == 1 else { throw ValidationError("choose the checkpoints with exactly one of --epochs, --last or --top") }
            if let epochs, epochs.epochs.isEmpty { throw ValidationError("--epochs needs at least one epoch") }
            if let count = last ?? top, count < 1 { throw ValidationError("--last and --top need a count of at least 1") }
            if top == nil, monitor != nil || mode != nil { throw ValidationError("--monitor and --mode go with --top") }
        }

        func run() throws {
            let store = try storeOptions.open()
            let run = try store.run(runReference ?? .environment)
            let choice: CheckpointChoice = if let epochs { .epochs(epochs.epochs) } else if let last { .last(last) } else {
                .top(top ?? 1, metric: monitor, mode: mode)
            }
            let bar = ProgressBar(label: "averaging", enabled: !output.json)
            let answer = try store.averageCheckpoints(of: run, choosing: choice, output: outputFile, durable: !noSync) { done, total in
                bar.update(done: done, total: total, unit: .bytes)
            }
            bar.finish()
            try output.print(answer, text: CheckpointText.average)
        }
    }
}
