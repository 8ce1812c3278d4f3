import CairnCore
import CairnKit

/// The line `cairn exec`, `resume` and `reproduce` print on stderr when their command ends.
enum ExecReport {
    /// Prints how the run ended (status, duration, exit code or signal) unless `quiet`.
    static func finish(run: Run, outcome: ExecOutcome, quiet: Bool) {
        guard !quiet else { return }
        let how = outcome.exitCode.map { "exit code \($0)" } ?? outcome.signal.map { ExecOutcome.name(ofSignal: $0) } ?? ""
        Terminal.note("run \(run.id) \(run.record.status.rawValue) after \(Formatting.duration(outcome.durationSeconds)) (\(how))")
    }
}
