import Glibc
import CairnCore

/// Temporary files and folders (`.cairn-tmp-NAME-PID-RANDOM[-old]`) whose writer was killed before it
/// renamed or removed them.
enum AbandonedTemporaries {
    /// The pid in a temporary name `.cairn-tmp-NAME-PID-RANDOM[-old]`.
    static func ownerPID(of name: String) -> Int32? {
        var parts = name.split(separator: "-", omittingEmptySubsequences: false)
        if parts.last == "old" { parts.removeLast() }
        guard parts.count >= 3 else { return nil }
        return Int32(parts[parts.count - 2])
    }

    /// True when `name` is a Cairn temporary whose writer no longer runs (or names no writer).
    static func isAbandoned(_ name: String) -> Bool {
        guard name.hasPrefix(AtomicFile.temporaryPrefix) else { return false }
        guard let pid = ownerPID(of: name) else { return true }
        return pid != getpid() && !HostInfo.processIsAlive(pid, startTicks: nil)
    }

    /// Removes the abandoned temporaries directly in `folder`. Best effort: a folder that cannot be
    /// listed is left alone.
    static func remove(in folder: String) {
        // Best effort: temporaries left in a folder that cannot be listed are removed by a later pass.
        for name in (try? FileSystem.list(folder)) ?? [] where isAbandoned(name) {
            TreeCopy.remove(Paths.join(folder, name))
        }
    }
}
