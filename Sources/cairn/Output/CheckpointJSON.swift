import Foundation
import CairnCore
import CairnKit

/// The JSON shapes of checkpoints in `--json` output.
enum CheckpointJSON {
    static func entry(_ entry: CheckpointEntry, runFolder: String, pointers: [String] = []) -> [String: Any] {
        var metrics: [String: Any] = [:]
        for (key, value) in entry.metrics { metrics[key] = value.isFinite ? value : String(value) as Any }
        var object: [String: Any] = [
            "seq": entry.seq, "path": runFolder + "/" + entry.path, "kind": entry.kind.rawValue, "epoch": entry.epoch,
            "step": JSONOutput.optional(entry.step), "metrics": metrics, "bytes": entry.bytes, "sha256": entry.sha256,
            "time": entry.time.iso8601, "status": status(entry), "pointers": pointers,
        ]
        if let decision = entry.decision { object["decision"] = decision }
        return object
    }

    static func status(_ entry: CheckpointEntry) -> String {
        switch entry.status {
        case .pending: "pending"
        case .kept: "kept"
        case .pruned: "pruned"
        case .aborted: "aborted"
        case .replaced: "replaced"
        }
    }

    static func reason(_ entry: CheckpointEntry) -> String {
        switch entry.status {
        case .pruned(let reason), .aborted(let reason): reason
        case .replaced(let seq): "replaced by #\(seq)"
        default: entry.decision ?? ""
        }
    }

    static func saveResult(_ result: CheckpointSaveResult, runFolder: String) -> [String: Any] {
        [
            "saved": result.entry.map { entry($0, runFolder: runFolder) } as Any? ?? NSNullValue.value,
            "skipped": JSONOutput.optional(result.skippedBecause),
            "pruned": result.pruned.map { ["seq": $0.seq, "path": runFolder + "/" + $0.path, "reason": $0.reason] as [String: Any] },
            "best": result.best.map { entry($0, runFolder: runFolder) } as Any? ?? NSNullValue.value,
            "last": result.last.map { entry($0, runFolder: runFolder) } as Any? ?? NSNullValue.value,
            "policy": result.policy.description,
        ]
    }
}
