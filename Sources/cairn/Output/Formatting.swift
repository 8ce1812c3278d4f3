import Foundation
import CairnCore
import CairnKit

/// How times, durations and statuses read in tables.
enum Formatting {
    /// `2026-11-23 03:40:11` (UTC).
    /// (Plain Swift, no Foundation formatting: a table of many runs formats many times.)
    static func time(_ t: Timestamp) -> String {
        String(t.iso8601.prefix(19).map { $0 == "T" ? " " : $0 })
    }

    /// `4.2s`, `3m07s`, `2h05m`, or `-`.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        guard seconds >= 0, seconds < 1e15 else { return String(format: "%.1fs", seconds) }
        if seconds < 60 {
            let tenths = Int((seconds * 10).rounded())
            return "\(tenths / 10).\(tenths % 10)s"
        }
        let s = Int(seconds.rounded())
        if s < 3600 { return "\(s / 60)m\(twoDigits(s % 60))s" }
        return "\(s / 3600)h\(twoDigits(s % 3600 / 60))m"
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// `FINISHED`, or `RUNNING (owner dead)` for a run whose owner died without ending it.
    static func status(_ run: CairnAPI.Run) -> String {
        run.liveness == .ownerDead ? "RUNNING (owner dead)" : run.status.rawValue
    }

    /// An optional value, or `-`.
    static func optional(_ value: (some CustomStringConvertible)?) -> String {
        value.map(\.description) ?? "-"
    }
}

extension Formatting {
    /// A metric value: up to 6 significant digits.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        return String(format: "%.6g", value)
    }

    /// A size: 512 B, 1.5 KiB, 3.2 GiB.
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        guard unit > 0 else { return "\(count) B" }
        // As "%.1f" prints it (count / 1024ⁿ is exact in binary, so rounding its tenths half to even is
        // what printf does), without String(format:), which made listing 90,000 sizes take 0.2 s.
        let tenths = Int64((value * 10).rounded(.toNearestOrEven))
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
