import ArgumentParser
import Foundation
import CairnCore
import CairnKit

extension Cairn {
    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resume a training from its last checkpoint, in a new run linked to it (or the same run).",
            discussion: """
                Runs the command RUN recorded (or the one after '--'), in its recorded working folder, as 'cairn exec' \
                does, with CAIRN_RESUME_CHECKPOINT (the newest complete checkpoint, absolute), CAIRN_RESUME_STEP, \
                CAIRN_RESUME_EPOCH and CAIRN_RESUMED_FROM in its environment. An experiment resumes its latest run.
                Default: a new run of the same experiment, resumed_from: RUN in its run.json, the config copied with its \
                resume fields set (is_resume: true, checkpoint_path, strict, load_only_model_state, in the config's \
                resume section, else training.resume). --continue reopens RUN itself (the metrics it logged after the \
                checkpoint's step are set aside in metrics.superseded.csv, since the training logs them again). \
                --as NEW clones the experiment as NEW and resumes there (for layouts with one run per experiment, such \
                as pretrain-finetune experiments: checkpoint_path relative to RUN's folder and resume_pretraining_name \
                set, as their generators do). Exits with the command's code.
                Example: cairn resume vae/baseline -- python train.py --epochs 20
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The run (id or unique prefix) or the experiment (its latest run).", completion: ShellCompletion.experimentsOrRuns)
        var target: String
        @Flag(name: .customLong("continue"), help: "Reopen the run itself instead of starting a new one.")
        var continueRun = false
        @Option(name: .customLong("as"), help: ArgumentHelp("Clone the experiment as NEW and resume there.", valueName: "NEW"))
        var newExperiment: String?
        @Option(help: "The new run's name (default: the resumed run's).") var name: String?
        @Option(name: .customLong("set"), help: ArgumentHelp("Override a value of the copied config: a.b.c=VALUE. Repeatable.", valueName: "key=value"))
        var overrides: [String] = []
        @Flag(help: "Resume even if the run's owner is alive.") var force = false
        @Flag(name: .shortAndLong, help: "Do not print the run's id and end status on stderr.") var quiet = false
        @OptionGroup var output: JSONFlag
        @Argument(parsing: .postTerminator, help: "-- COMMAND ARGS... (default: the recorded command)")
        var command: [String] = []

        func run() throws {
            let store = try storeOptions.open()
            let argv = command.first == "--" ? Array(command.dropFirst()) : command
            let options = ResumeOptions(continueRun: continueRun, newExperiment: try newExperiment.map { try ExperimentName($0) },
                                        command: argv.isEmpty ? nil : argv, overrides: overrides, name: name, force: force)
            let plan = try store.resumePlan(try store.experimentOrRun(target), options: options)
            let quiet = self.quiet || output.json
            let from = "\(plan.checkpoint.relativePath)" + (plan.checkpoint.step.map { " (step \($0))" } ?? plan.checkpoint.epoch.map { " (epoch \($0))" } ?? "")
            let (run, outcome) = try store.resume(plan, environment: ProcessInfo.processInfo.environment, terminal: true,
                                                  onStart: { run in
                                                      if !quiet {
                                                          let how = plan.mode == .continueRun ? "continuing" : "resuming \(plan.source.id) in"
                                                          Terminal.note("\(how) run \(run.id) from \(from), in \(run.absoluteFolder)")
                                                      }
                                                  },
                                                  onOutput: { stream, bytes in Terminal.write(stream == .stdout ? 1 : 2, bytes) })
            ExecReport.finish(run: run, outcome: outcome, quiet: quiet)
            try output.print(store.info(of: run)) { _ in nil }
            throw ProcessExit(code: outcome.shellExitCode)
        }
    }
}
