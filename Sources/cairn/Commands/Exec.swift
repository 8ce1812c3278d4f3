import ArgumentParser
import Foundation
import CairnCore
import CairnKit

extension Cairn {
    struct Exec: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a training command as a new run.",
            discussion: """
                Creates the run, then runs COMMAND with CAIRN_STORE, CAIRN_EXPERIMENT, CAIRN_RUN_ID and CAIRN_RUN_DIR \
                in its environment (every process it starts inherits them). Its stdout and stderr pass through and \
                are logged with timestamps in the run's log. When stdin is a terminal, COMMAND gets it as a shell's \
                foreground job does (input(), pdb, Ctrl-Z and fg work). SIGINT, SIGTERM and SIGHUP are forwarded to its \
                process group, then SIGCONT, and listed in run.json's forwarded_signals; SIGTSTP and SIGCONT are forwarded too. \
                The run ends FINISHED (exit 0), FAILED (non-zero exit or crash signal) or KILLED (SIGINT, SIGTERM, \
                SIGHUP, SIGQUIT, SIGKILL, or any failure after a forwarded signal). cairn exec exits with the command's code \
                (128 + signal when killed). With --json, the ended run is printed on stdout after the command's output.
                Example: cairn exec -e vae/baseline --config cfg.yaml --set training.lr=3e-4 -- python train.py
                """)

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var runOptions: RunCreationOptions
        @Option(help: ArgumentHelp("Resume from the newest complete checkpoint of this run (or of this experiment's latest run that has one): exports CAIRN_RESUME_CHECKPOINT, CAIRN_RESUME_STEP, CAIRN_RESUME_EPOCH, CAIRN_RESUMED_FROM, and records resumed_from in run.json.", valueName: "run-or-experiment"),
                completion: ShellCompletion.experimentsOrRuns)
        var resume: String?
        @Flag(name: .shortAndLong, help: "Do not print the run's id and end status on stderr.")
        var quiet = false
        @OptionGroup var output: JSONFlag
        @Argument(parsing: .captureForPassthrough, help: "-- COMMAND ARGS...")
        var command: [String] = []

        private var argv: [String] { command.first == "--" ? Array(command.dropFirst()) : command }

        func validate() throws {
            if argv.isEmpty { throw ValidationError("give the command to run after '--', e.g. cairn exec -e EXP -- python train.py") }
        }

        func run() throws {
            let store = try storeOptions.open()
            let quiet = self.quiet || output.json
            var request = try runOptions.request(in: store)
            var environment = ProcessInfo.processInfo.environment
            if let resume {
                let checkpoint = try store.latestCheckpoint(of: try store.experimentOrRun(resume))
                request.resumedFrom = checkpoint.run
                environment.merge(ResumePlan.environment(for: checkpoint, source: checkpoint.run)) { $1 }
                if !quiet && !output.json { Terminal.note("resuming from \(checkpoint.path)") }
            }
            let (run, outcome) = try store.execute(request, command: argv, environment: environment, terminal: true,
                                                   onStart: { run in if !quiet { Terminal.note("run \(run.id) in \(run.absoluteFolder)") } },
                                                   onOutput: { stream, bytes in Terminal.write(stream == .stdout ? 1 : 2, bytes) })
            ExecReport.finish(run: run, outcome: outcome, quiet: quiet)
            try output.print(store.info(of: run)) { _ in nil }
            throw ProcessExit(code: outcome.shellExitCode)
        }
    }
}
