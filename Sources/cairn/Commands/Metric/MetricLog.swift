import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Metric {
    struct MetricLog: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log", abstract: "Log metric values at a step: [RUN] KEY=VALUE... (RUN defaults to $CAIRN_RUN_ID).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("[RUN] KEY=VALUE...", valueName: "KEY=VALUE")) var arguments: [String]
        @Option(parsing: .unconditional, help: "The step (0 or more).") var step: Int64
        @Option(parsing: .unconditional, help: "The epoch (0 or more).") var epoch: Int?
        @Option(help: "The split: train, eval, test, any, or another plain name.") var split = "train"
        @Flag(help: "Turn on live TensorBoard event files for the run (tag cairn.tensorboard=live): this and every later metric log appends to its event file too.")
        var tb = false
        @OptionGroup var output: JSONFlag

        func run() throws {
            let (reference, words) = RunReference.leading(arguments) { !$0.contains("=") }
            guard !words.isEmpty else { throw ValidationError("give at least one KEY=VALUE") }
            var values: [Assignment] = []
            for word in words { values.append(try Assignment(parsing: word, what: "metric")) }
            let store = try storeOptions.open()
            let logged = try store.logMetrics(values, to: try store.run(reference), step: step, epoch: epoch, split: split, liveTensorBoard: tb)
            try output.print(logged) { _ in nil }
        }
    }
}
