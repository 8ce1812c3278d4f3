import CairnCore
import CairnKit

/// `cairn gc` as text: the checkpoints deleted and the runs trashed, each with its bytes, the runs
/// skipped with the reason, then the bytes freed and the bytes moved to the trash.
enum GarbageCollectionText {
    static func report(_ gc: CairnAPI.GarbageCollection) -> String {
        var lines: [String] = []
        if !gc.deletedCheckpoints.isEmpty {
            var table = Table("RUN", "CHECKPOINT", "SIZE", "REASON")
            for checkpoint in gc.deletedCheckpoints {
                table.add([checkpoint.run.value, checkpoint.relativePath, Formatting.bytes(checkpoint.bytes), checkpoint.reason])
            }
            lines.append(table.text)
        }
        if !gc.trashedRuns.isEmpty {
            var table = Table("RUN", "EXPERIMENT", "STATUS", "SIZE", "FOLDER")
            for run in gc.trashedRuns {
                table.add([run.run.value, run.experiment, run.status?.rawValue ?? "-", Formatting.bytes(run.bytes), run.folder])
            }
            lines.append(table.text)
        }
        for run in gc.skippedRuns { lines.append("Skipped run \(run.run) (\(run.experiment)): \(run.reason)") }
        let checkpoints = plural(gc.deletedCheckpoints.count, "checkpoint")
        let runs = plural(gc.trashedRuns.count, "run")
        let examined = "of \(plural(gc.runsExamined, "run"))"
        if gc.dryRun {
            lines.append("Would delete \(checkpoints) \(examined), freeing \(Formatting.bytes(gc.bytesFreed)); would move \(runs) to the trash (\(Formatting.bytes(gc.bytesTrashed))).")
        } else {
            lines.append("Deleted \(checkpoints) \(examined): \(Formatting.bytes(gc.bytesFreed)) freed. Moved \(runs) to the trash: \(Formatting.bytes(gc.bytesTrashed)) kept until 'cairn trash empty'.")
        }
        return lines.joined(separator: "\n")
    }

    /// What a gc would do, as a question's words: `delete 12 checkpoints (3.0 GiB) and move 2 runs to the trash (1.0 GiB)`.
    static func question(_ plan: CairnAPI.GarbageCollection) -> String {
        var parts: [String] = []
        if !plan.deletedCheckpoints.isEmpty {
            parts.append("delete \(plural(plan.deletedCheckpoints.count, "checkpoint")) (\(Formatting.bytes(plan.bytesFreed)))")
        }
        if !plan.trashedRuns.isEmpty {
            parts.append("move \(plural(plan.trashedRuns.count, "run")) to the trash (\(Formatting.bytes(plan.bytesTrashed)))")
        }
        return parts.joined(separator: " and ")
    }

    private static func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
}
