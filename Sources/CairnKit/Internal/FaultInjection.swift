#if DEBUG || CAIRN_FAULT_INJECTION
import Glibc

/// Named crash points for recovery tests: when `CAIRN_FAULT` names a point, the process kills
/// itself with SIGKILL there, exactly as a `kill -9` at that moment would; `NAME@N` kills it the Nth
/// time it passes the point. Unset, it costs a string comparison.
///
/// Compiled into debug builds (the crash tests run the debug `cairn`) and builds that opt in with
/// `-Xswiftc -DCAIRN_FAULT_INJECTION`; in any other build the points are empty, so a release binary
/// never kills itself because of an environment variable.
enum FaultInjection {
    private static let armed: (name: String, pass: Int)? = {
        guard let value = getenv("CAIRN_FAULT") else { return nil }
        let text = String(cString: value)
        guard let at = text.lastIndex(of: "@"), let pass = Int(text[text.index(after: at)...]) else { return (text, 1) }
        return (String(text[..<at]), pass)
    }()
    /// How many times the armed point was passed (debug builds only, one thread passes a point).
    nonisolated(unsafe) private static var passes = 0

    static func point(_ name: String) {
        guard let armed, armed.name == name else { return }
        passes += 1
        if passes >= armed.pass { kill(getpid(), SIGKILL) }
    }
}
#else
/// Named crash points for recovery tests: compiled out of this build (see the debug version).
enum FaultInjection {
    @inline(__always)
    static func point(_ name: String) {}
}
#endif
