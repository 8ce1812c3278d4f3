import CairnCore
import CairnKit

/// What `cairn doctor` found, as text.
enum DoctorText {
    /// One line per finding (`fixed` or what is wrong), then a last line.
    static func report(_ report: CairnAPI.Doctor) -> String {
        var lines: [String] = []
        func mark(_ fixed: Bool) -> String { fixed ? "fixed    " : report.fix ? "NOT FIXED" : "problem  " }
        for run in report.missingRunFolders {
            lines.append("\(mark(run.fixed)) run \(run.run) (\(run.experiment)): its folder \(run.folder) is gone"
                         + (run.fixed ? "; removed from the registry" : ""))
        }
        for checkpoint in report.missingCheckpoints {
            lines.append("\(mark(checkpoint.fixed)) run \(checkpoint.run): checkpoint #\(checkpoint.seq) \(checkpoint.path) is gone"
                         + (checkpoint.fixed ? "; recorded as pruned" : ""))
        }
        for pointer in report.pointers {
            let target = pointer.checkpoint.map { "should lead to \($0)" } ?? "no checkpoint that exists can be \(pointer.pointer)"
            lines.append("\(mark(pointer.fixed)) run \(pointer.run): \(pointer.pointer) (\(pointer.path)) is \(pointer.problem): \(target)")
        }
        for save in report.pendingSaves {
            lines.append("\(mark(save.fixed)) run \(save.run): save #\(save.seq) was interrupted")
        }
        for temporary in report.abandonedTemporaries {
            lines.append("\(mark(temporary.fixed)) \(temporary.path): left by a process that is gone")
        }
        if report.found == 0 {
            lines.append("The store \(report.store) is healthy.")
        } else if report.healthy {
            lines.append("\(report.found) problem\(report.found == 1 ? "" : "s") fixed.")
        } else {
            lines.append("\(report.remaining) of \(report.found) problem\(report.found == 1 ? "" : "s") left"
                         + (report.fix ? "." : ": 'cairn doctor --fix' repairs them."))
        }
        return lines.joined(separator: "\n")
    }
}
