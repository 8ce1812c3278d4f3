import CairnCore
import CairnKit

/// The JSON shapes of runs in `--json` output.
enum RunJSON {
    static func summary(_ summary: RunSummary) -> [String: Any] {
        let record = summary.run.record
        return [
            "id": record.id.value,
            "name": JSONOutput.optional(record.name),
            "experiment": record.experiment,
            "experiment_id": record.experimentID.description,
            "status": record.status.rawValue,
            "liveness": summary.liveness.rawValue,
            "start_time": record.startTime.iso8601,
            "end_time": JSONOutput.optional(record.endTime?.iso8601),
            "duration_seconds": JSONOutput.optional(record.durationSeconds),
            "exit_code": JSONOutput.optional(record.exitCode),
            "folder": summary.run.absoluteFolder,
        ]
    }
}
