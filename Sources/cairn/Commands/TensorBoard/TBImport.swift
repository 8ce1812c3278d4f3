import ArgumentParser
import CairnCore
import CairnKit
import CairnFormats

extension Cairn.TB {
    struct TBImport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Read the scalars of a TensorBoard event file into a run's metrics (histograms, images and text are skipped).",
            discussion: "A truncated or corrupted file is read up to the damage, and Cairn says where it stops.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The event file.", completion: .file()) var file: String
        @Option(name: .customLong("run"), help: "The run (default: $CAIRN_RUN_ID).") var runOption: String?
        @Option(help: "The split to file the scalars under.") var split = "any"
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let target = try store.run(try RunReference.resolve(runOption))
            let result = try store.importTensorBoard(Cairn.Ckpt.CkptSave.absolute(file), into: target, split: split)
            let total = result.points.values.reduce(0, +)
            if output.json {
                try JSONOutput.print(["points": result.points, "skipped": result.skipped,
                                      "damage": result.damage.map { ["offset": $0.offset, "record": $0.recordIndex, "problem": $0.problem.description] as [String: Any] } as Any? ?? NSNullValue.value] as [String: Any])
            } else {
                Terminal.out("Imported \(total) scalars in \(result.points.count) tags into \(target.id) (split \(split))")
                if !result.skipped.isEmpty {
                    Terminal.note("skipped non-scalar summaries: " + result.skipped.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
                }
            }
            if let damage = result.damage {
                Terminal.note("warning: '\(file)' stops being readable at byte \(damage.offset) (record \(damage.recordIndex)): \(damage.problem); the scalars before it were imported")
            }
        }
    }
}
