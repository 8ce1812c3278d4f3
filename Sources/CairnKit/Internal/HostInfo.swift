import Glibc
import Foundation
import CairnCore

/// Facts about this machine and process, recorded in runs and leases.
enum HostInfo {
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    static var userName: String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? String(geteuid())
    }

    /// The start time of a process in clock ticks since boot (`/proc/PID/stat` field 22), used to tell
    /// a live process from a later one that reused its pid. Nil where /proc is unavailable.
    static func processStartTicks(_ pid: Int32) -> UInt64? {
        // No such file: the process is gone (or /proc is not mounted); nil says "unknown".
        guard let bytes = try? FileSystem.read("/proc/\(pid)/stat") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command name: field 3 is state, so starttime (field 22) is index 22 - 3 = 19.
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }

    /// True if a process with this pid exists (and, when given, started at `startTicks`).
    static func processIsAlive(_ pid: Int32, startTicks: UInt64?) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno != EPERM { return false }
        if let startTicks, let now = processStartTicks(pid), now != startTicks { return false }
        // A zombie is dead for our purposes. (No stat file: the process has just gone, judged by kill above.)
        if let bytes = try? FileSystem.read("/proc/\(pid)/stat") {
            let text = String(decoding: bytes, as: UTF8.self)
            if let close = text.lastIndex(of: ")") {
                let rest = text[text.index(after: close)...].split(separator: " ")
                if rest.first == "Z" || rest.first == "X" { return false }
            }
        }
        return true
    }
}
