import ArgumentParser
import Foundation
import CairnCore
import CairnKit

extension Cairn {
    struct Reproduce: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a run again from the start: its recorded command and config, in a new run.",
            discussion: """
                Runs the command RUN recorded, with the arguments after '--' appended, in its recorded working folder, \
                as 'cairn exec' does, in a new run of its experiment whose config is RUN's config.yaml (tagged \
                cairn.reproduces=RUN). Warns when the code's git commit differs from the one RUN recorded, or when \
                either had uncommitted changes. An experiment reproduces its latest run. For layouts with one run per \
                experiment, --as NEW runs it in a new experiment. Exits with the command's code.
                Example: cairn reproduce 20261205-0912-ab12 -- --seed 2
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The run (id or unique prefix) or the experiment (its latest run).", completion: ShellCompletion.experimentsOrRuns)
        var target: String
        @Option(name: .customLong("as"), help: ArgumentHelp("Run it in a new experiment NEW.", valueName: "NEW"))
        var newExperiment: String?
        @Option(help: "The new run's name (default: the reproduced run's).") var name: String?
        @Option(name: .customLong("set"), help: ArgumentHelp("Override a value of the recorded config: a.b.c=VALUE. Repeatable.", valueName: "key=value"))
        var overrides: [String] = []
        @Flag(name: .shortAndLong, help: "Do not print the run's id and end status on stderr (warnings still are).") var quiet = false
        @OptionGroup var output: JSONFlag
        @Argument(parsing: .postTerminator, help: "-- EXTRA ARGS... appended to the recorded command")
        var extra: [String] = []

        func run() throws {
            let store = try storeOptions.open()
            let arguments = extra.first == "--" ? Array(extra.dropFirst()) : extra
            let options = ResumeOptions(newExperiment: try newExperiment.map { try ExperimentName($0) }, overrides: overrides, name: name)
            let plan = try store.reproducePlan(try store.experimentOrRun(target), extraArguments: arguments, options: options)
            for warning in plan.warnings { Terminal.warning(warning) }
            let quiet = self.quiet || output.json
            let (run, outcome) = try store.reproduce(plan, environment: ProcessInfo.processInfo.environment, terminal: true,
                                                     onStart: { run in if !quiet { Terminal.note("reproducing \(plan.source.id) as run \(run.id) in \(run.absoluteFolder)") } },
                                                     onOutput: { stream, bytes in Terminal.write(stream == .stdout ? 1 : 2, bytes) })
            ExecReport.finish(run: run, outcome: outcome, quiet: quiet)
            try output.print(store.info(of: run)) { _ in nil }
            throw ProcessExit(code: outcome.shellExitCode)
        }
    }
}
