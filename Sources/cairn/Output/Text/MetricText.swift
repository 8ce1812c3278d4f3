import CairnCore
import CairnKit

/// Metrics as text.
enum MetricText {
    /// `SPLIT KEY COUNT LAST (STEP) MIN (STEP) MAX (STEP)`.
    static func summaries(_ rows: [CairnAPI.MetricSummary]) -> String {
        if rows.isEmpty { return "No metrics yet. Log some with 'cairn metric log RUN loss=0.5 --step 1'." }
        var table = Table("SPLIT", "KEY", "COUNT", "LAST (STEP)", "MIN (STEP)", "MAX (STEP)")
        for s in rows {
            table.add([s.split, s.key, String(s.count), "\(Formatting.number(s.last)) (\(s.lastStep))",
                       s.min.map { "\(Formatting.number($0)) (\(s.minStep ?? 0))" } ?? "-",
                       s.max.map { "\(Formatting.number($0)) (\(s.maxStep ?? 0))" } ?? "-"])
        }
        return table.text
    }

    /// `SPLIT STEP EPOCH KEY VALUE`, in the order logged.
    static func history(_ points: [CairnAPI.MetricPoint]) -> String {
        var table = Table("SPLIT", "STEP", "EPOCH", "KEY", "VALUE")
        for p in points { table.add([p.split, String(p.step), Formatting.optional(p.epoch), p.key, Formatting.number(p.value)]) }
        return table.text
    }
}
