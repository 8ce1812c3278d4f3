import CairnCore
import CairnKit

/// Checkpoints as text.
enum CheckpointText {
    /// `# EPOCH STEP METRICS SIZE STATUS PATH`; with `reasons`, why each one not kept is gone.
    static func table(_ checkpoints: [CairnAPI.Checkpoint], reasons: Bool) -> String {
        if checkpoints.isEmpty { return "No checkpoints yet. Save one with 'cairn ckpt save PATH --epoch N'." }
        var table = Table("#", "EPOCH", "STEP", "METRICS", "SIZE", "STATUS", "PATH")
        for checkpoint in checkpoints {
            let metrics = checkpoint.metrics.sorted { $0.key < $1.key }.map { "\($0.key)=\(Formatting.number($0.value))" }
            var status = checkpoint.status
            if !checkpoint.pointers.isEmpty { status += " (" + checkpoint.pointers.joined(separator: ", ") + ")" }
            if reasons, checkpoint.status != "kept" { status += ": " + (checkpoint.reason ?? checkpoint.decision ?? "") }
            table.add([String(checkpoint.seq), Formatting.optional(checkpoint.epoch), Formatting.optional(checkpoint.step),
                       metrics.isEmpty ? "-" : metrics.joined(separator: " "), Formatting.bytes(checkpoint.bytes), status,
                       checkpoint.relativePath])
        }
        return table.text
    }

    /// What `ckpt verify` found, one line per problem and a last line.
    static func verification(_ report: CairnAPI.CheckpointVerify) -> String {
        var lines = report.problems.map { problem in
            let seq = problem.seq.map { "#\($0)" } ?? "-"
            switch problem.problem {
            case "missing": return "MISSING   \(seq) \(problem.relativePath)"
            case "dangling": return "DANGLING  \(seq) \(problem.relativePath) (a pointer of the tree that leads nowhere)"
            default: return "MISMATCH  \(seq) \(problem.relativePath) (sha256 now \(problem.foundSHA256 ?? "?"))"
            }
        }
        let checked = report.checked == 1 ? "1 checkpoint" : "\(report.checked) checkpoints"
        lines.append(report.ok ? "\(checked) verified: \(report.checked == 1 ? "it matches" : "all match") the manifest"
                               : "\(report.problems.count) of \(checked) \(report.problems.count == 1 ? "does" : "do") not match the manifest")
        return lines.joined(separator: "\n")
    }

    /// What `ckpt prune` pruned or would prune.
    static func pruning(_ report: CairnAPI.CheckpointPrune) -> String {
        if report.pruned.isEmpty { return "Nothing to prune: the policy keeps every checkpoint." }
        return report.pruned.map { "\(report.dryRun ? "would prune" : "pruned") #\($0.seq) \($0.relativePath): \($0.reason)" }
            .joined(separator: "\n")
    }

    static func average(_ answer: CairnAPI.CheckpointAverage) -> String {
        let sources = answer.sources.map { "#\($0.seq) \($0.relativePath)" }.joined(separator: ", ")
        var text = "averaged \(answer.sources.count) checkpoint\(answer.sources.count == 1 ? "" : "s") (\(sources)) into \(answer.path)"
            + " (\(answer.tensors) tensors, \(Formatting.bytes(answer.bytes)), sha256 \(answer.sha256.prefix(12)))"
        if !answer.copied.isEmpty {
            text += "\ncopied from #\(answer.sources.last?.seq ?? 0), not averaged: \(answer.copied.joined(separator: ", "))"
        }
        return text
    }
}
