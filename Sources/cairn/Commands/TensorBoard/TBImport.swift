import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.TB {
    struct TBImport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Read the scalars of a TensorBoard event file into a run's metrics (histograms, images and text are skipped).",
            discussion: "A truncated or corrupted file is read up to the damage, and Cairn says where it stops.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The event file.", completion: .file()) var file: String
        @Option(name: .customLong("run"), help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run"))
        var runReference: RunReference?
        @Option(help: "The split to file the scalars under.") var split = "any"
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let result = try store.importTensorBoard(file, into: try store.run(runReference ?? .environment), split: split)
            try output.print(result) { result in
                if !result.skipped.isEmpty {
                    Terminal.note("skipped non-scalar summaries: " + result.skipped.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
                }
                return "Imported \(result.scalars) scalars in \(result.points.count) tags into \(result.run) (split \(result.split))"
            }
            if let damage = result.damage {
                Terminal.note("warning: '\(file)' stops being readable at byte \(damage.offset) (record \(damage.record)): \(damage.problem); the scalars before it were imported")
            }
        }
    }
}
