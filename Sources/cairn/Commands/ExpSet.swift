import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Exp {
    struct ExpSet: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change an experiment's settings: checkpoint.KEY=VALUE (its checkpoint policy); with none, print them.",
            discussion: "Example: cairn exp set vae/baseline checkpoint.monitor=val_loss checkpoint.top_k=3 checkpoint.keep_epochs=[10,15]")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The experiment.", completion: ShellCompletion.experiments) var name: String
        @Argument(help: ArgumentHelp("checkpoint.KEY=VALUE assignments, typed as --set values are.", valueName: "checkpoint.key=value"))
        var assignments: [String] = []
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let experiment = try store.experiment(named: try ExperimentName(name))
            if !assignments.isEmpty { try store.updateSettings(of: experiment, assignments) }
            try output.print(try store.settingsInfo(of: experiment)) { settings in
                var yaml = settings.yaml
                while yaml.last?.isWhitespace == true { yaml.removeLast() }
                return yaml
            }
        }
    }
}
