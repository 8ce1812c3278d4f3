import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Exp {
    struct ExpNew: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new", abstract: "Create an experiment (names may be grouped: vae/baseline).",
            discussion: """
                With --template T (a template of 'cairn template ls'), --from OTHER (another experiment's config.yaml, \
                else its latest run's config) or --set, the experiment gets a config.yaml in its folder, which \
                'cairn exec' and 'cairn run new -e EXP' snapshot when no --config is given. --parent PRE links a \
                fine-tuning to the pre-training whose best checkpoint seeds it: recorded as parent_experiment_id, and \
                written to the config's pretrained_experiment section (name, experiment_id, checkpoint_path).
                Example: cairn exp new finetuning/cls --template finetuning --parent pretraining/mlm_small --set training.lr=1e-5
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The experiment's name.") var name: String
        @Option(help: "Generate config.yaml from this config template.", completion: ShellCompletion.templates)
        var template: String?
        @Option(help: "Clone this experiment's config.", completion: ShellCompletion.experiments)
        var from: String?
        @Option(help: "The pre-training experiment whose best checkpoint seeds this one.", completion: ShellCompletion.experiments)
        var parent: String?
        @Option(name: .customLong("set"), help: ArgumentHelp("Override a config value: a.b.c=VALUE (+a.b.c=VALUE adds a key). Repeatable.", valueName: "key=value"))
        var overrides: [String] = []
        @OptionGroup var output: JSONFlag

        func validate() throws {
            if template != nil && from != nil { throw ValidationError("give either --template or --from, not both") }
        }

        func run() throws {
            let name = try ExperimentName(name)
            var setup = ExperimentSetup(overrides: overrides, parent: try parent.map { try ExperimentName($0) })
            if let template { setup.source = .template(template) }
            if let from { setup.source = .experiment(try ExperimentName(from)) }
            let store = try storeOptions.open()
            let experiment = try store.info(of: try store.createExperiment(name, setup: setup))
            try output.print(experiment) { experiment in
                var text = "Created experiment \(experiment.name) (id \(experiment.id)) in \(experiment.folder)"
                if !setup.isEmpty, let config = try? store.experimentConfigPath(named: name) { text += "\nconfig: \(config)" }
                return text
            }
        }
    }
}
