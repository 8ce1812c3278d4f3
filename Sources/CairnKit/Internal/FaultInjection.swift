#if DEBUG || CAIRN_FAULT_INJECTION
import Glibc

/// Named crash points for recovery tests: when `CAIRN_FAULT` names a point, the process kills
/// itself with SIGKILL there, exactly as a `kill -9` at that moment would. Unset, it costs a
/// string comparison.
///
/// Compiled into debug builds (the crash tests run the debug `cairn`) and builds that opt in with
/// `-Xswiftc -DCAIRN_FAULT_INJECTION`; in any other build the points are empty, so a release binary
/// never kills itself because of an environment variable.
enum FaultInjection {
    private static let armed: String? = {
        guard let value = getenv("CAIRN_FAULT") else { return nil }
        return String(cString: value)
    }()

    static func point(_ name: String) {
        if let armed, armed == name { kill(getpid(), SIGKILL) }
    }
}
#else
/// Named crash points for recovery tests: compiled out of this build (see the debug version).
enum FaultInjection {
    @inline(__always)
    static func point(_ name: String) {}
}
#endif
