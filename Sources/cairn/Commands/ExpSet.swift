import ArgumentParser
import CairnCore
import CairnKit
import CairnFormats

extension Cairn.Exp {
    struct ExpSet: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change an experiment's settings: checkpoint.KEY=VALUE (its checkpoint policy).",
            discussion: "Example: cairn exp set vae/baseline checkpoint.monitor=val_loss checkpoint.top_k=3 checkpoint.keep_epochs=[10,15]")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The experiment.") var name: String
        @Argument(help: "checkpoint.KEY=VALUE assignments.") var assignments: [String] = []

        func run() throws {
            let store = try storeOptions.open()
            let experiment = try store.experiment(named: try ExperimentName(name))
            let settings = assignments.isEmpty ? try store.settings(of: experiment) : try store.updateSettings(of: experiment, assignments)
            Terminal.out(ConfigFile.yaml(settings).trimmingWhitespaceAtEnd)
        }
    }
}

extension String {
    var trimmingWhitespaceAtEnd: String {
        var s = Substring(self)
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }
}
