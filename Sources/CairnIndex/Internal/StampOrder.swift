/// Which of two reads of a run's files is the later, from their stamps (`INODE:SIZE:MTIME_NS<TAB>PATH`
/// lines, as CairnKit writes them): a read is older when a file both stamped had a later modification
/// time in the other. Two processes that read the same run at once can commit in either order; the
/// index keeps the later read.
package enum StampOrder {
    package static func isOlder(_ incoming: String, than existing: String) -> Bool {
        let seen = times(existing)
        guard !seen.isEmpty else { return false }
        for (path, time) in times(incoming) {
            if let other = seen[path], other > time { return true }
        }
        return false
    }

    /// Each stamped path's modification time (files that were missing have none).
    private static func times(_ stamp: String) -> [Substring: Int64] {
        var out: [Substring: Int64] = [:]
        for line in stamp.split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t") else { continue }
            let fields = line[..<tab].split(separator: ":")
            guard fields.count == 3, let time = Int64(fields[2]) else { continue }
            out[line[line.index(after: tab)...]] = time
        }
        return out
    }
}
