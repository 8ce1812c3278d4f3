import Glibc

/// Named crash points for recovery tests: when `CAIRN_FAULT` names a point, the process kills
/// itself with SIGKILL there, exactly as a `kill -9` at that moment would. Unset, it costs a
/// string comparison.
enum FaultInjection {
    private static let armed: String? = {
        guard let value = getenv("CAIRN_FAULT") else { return nil }
        return String(cString: value)
    }()

    static func point(_ name: String) {
        if let armed, armed == name { kill(getpid(), SIGKILL) }
    }
}
