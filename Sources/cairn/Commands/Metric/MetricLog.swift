import ArgumentParser
import Foundation
import CairnCore
import CairnFormats
import CairnKit

extension Cairn.Metric {
    struct MetricLog: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log", abstract: "Log metric values at a step: [RUN] KEY=VALUE... (RUN defaults to $CAIRN_RUN_ID).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("[RUN] KEY=VALUE...", valueName: "key=value")) var arguments: [String]
        @Option(help: "The step.") var step: Int64
        @Option(help: "The epoch.") var epoch: Int?
        @Option(help: "The split: train, eval, test, any, or another plain name.") var split = "train"
        @Flag(help: "Turn on live TensorBoard event files for the run (tag cairn.tensorboard=live): this and every later metric log appends to its event file too.")
        var tb = false

        func run() throws {
            var words = arguments
            let reference = words.first.map { !$0.contains("=") } == true ? words.removeFirst() : nil
            guard !words.isEmpty else { throw ValidationError("give at least one KEY=VALUE") }
            var points: [MetricPoint] = []
            let now = Date().timeIntervalSince1970
            for text in words {
                let (key, value) = try RunTags.parseAssignment(text, what: "metric")
                guard let number = Cairn.Ckpt.CkptSave.number(value) else {
                    throw CairnError(.invalidValue, "the metric \(key) has the value '\(value)', which is not a number",
                                     hint: "write KEY=NUMBER, e.g. loss=0.31 (nan and inf are numbers too)")
                }
                points.append(MetricPoint(key: key, value: number, step: step, epoch: epoch, time: now))
            }
            let store = try storeOptions.open()
            let run = try store.run(try RunReference.resolve(reference))
            let logger = tb ? try MetricLogger(store: store, run: run, tensorBoard: true) : MetricLogger(store: store, run: run)
            try logger.log(points, split: split)
            try logger.close()
        }
    }
}
