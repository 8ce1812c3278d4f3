import CairnCore
import CairnKit

/// Archives as text (`cairn archive create|extract|ls`).
enum ArchiveText {
    /// A line saying what was done, then a table of the runs.
    static func summary(_ archive: CairnAPI.Archive) -> String {
        let runs = "\(archive.runs.count) run\(archive.runs.count == 1 ? "" : "s")"
        let sizes = "\(Formatting.bytes(archive.bytes)) in \(archive.files) members, \(Formatting.bytes(archive.compressedBytes)) compressed"
        var head: String
        switch archive.action {
        case "create":
            head = "Archived \(runs) to \(archive.path) (\(sizes))" + (archive.verified ? ", verified." : ", not verified.")
            if !archive.removed.isEmpty { head += " Removed \(archive.removed.count) from the store." }
        case "extract":
            head = "Extracted \(runs) from \(archive.path) (\(sizes))."
            if !archive.createdExperiments.isEmpty {
                head += " Created experiment" + (archive.createdExperiments.count == 1 ? " " : "s ") + archive.createdExperiments.map { "'\($0)'" }.joined(separator: ", ") + "."
            }
        default:
            head = "\(archive.path): \(runs) (\(sizes))" + (archive.verified ? ", verified." : ".")
        }
        var table = Table("RUN", "EXPERIMENT", "STATUS", "FILES", "SIZE", "FOLDER")
        for run in archive.runs {
            table.add([run.run.value, run.experiment, run.status.rawValue, String(run.files), Formatting.bytes(run.bytes), run.folder])
        }
        return archive.runs.isEmpty ? head : head + "\n" + table.text
    }
}
