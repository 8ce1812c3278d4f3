import Foundation
import Glibc
import Testing
import CairnTestSupport

/// An interactive shell in a pseudo-terminal of its own, for tests of what a user at a terminal does:
/// the shell (bash, with job control) leads a new session whose controlling terminal is the pty's
/// slave; the test types into the master and reads what the terminal shows.
final class PseudoTerminal {
    let master: Int32
    /// The shell's pid (also its process group and session).
    let shell: pid_t
    /// Everything the terminal showed so far, and how much of it `expect` already went past.
    private(set) var transcript: [UInt8] = []
    private var cursor = 0

    /// The prompt the shell prints, unlikely to appear in any output by chance.
    static let prompt = "cairn-tty$ "

    /// Starts `bash --norc --noprofile --noediting -i` on a new pty, with `environment` added.
    init(environment: [String: String] = [:]) throws {
        master = Self.posixOpenpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0, Self.grantpt(master) == 0, Self.unlockpt(master) == 0, let name = Self.ptsname(master) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        let slave = String(cString: name)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // In a new session (POSIX_SPAWN_SETSID, done before the file actions), opening the slave without
        // O_NOCTTY makes it the session's controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slave, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT, SIGCHLD, SIGPIPE] { sigaddset(&defaults, sig) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(Self.spawnSetsid | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var env = ProcessInfo.processInfo.environment
        env["PS1"] = Self.prompt
        env["TERM"] = "dumb"
        env["HISTFILE"] = "/dev/null"
        for (key, value) in environment { env[key] = value }
        let arguments = ["/bin/bash", "--norc", "--noprofile", "--noediting", "-i"]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard status == 0 else {
            close(master)
            throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO)
        }
        shell = pid
    }

    // The pty functions of the C library, which Swift's Glibc module does not declare (they need
    // _XOPEN_SOURCE), looked up by name; and glibc's POSIX_SPAWN_SETSID (spawn.h), for the same reason.
    nonisolated(unsafe) private static let libc = dlopen(nil, RTLD_NOW)
    private static func function<T>(_ name: String, _ type: T.Type) -> T {
        guard let symbol = dlsym(libc, name) else { preconditionFailure("the C library has no \(name)") }
        return unsafeBitCast(symbol, to: type)
    }
    private static let posixOpenpt = function("posix_openpt", (@convention(c) (Int32) -> Int32).self)
    private static let grantpt = function("grantpt", (@convention(c) (Int32) -> Int32).self)
    private static let unlockpt = function("unlockpt", (@convention(c) (Int32) -> Int32).self)
    private static let ptsname = function("ptsname", (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
    private static let spawnSetsid: Int32 = 0x80

    deinit {
        // The shell's session: the shell, and any job it still has (hung up when its terminal goes).
        kill(-shell, SIGKILL)
        close(master)
        var status: Int32 = 0
        while waitpid(shell, &status, 0) < 0 && errno == EINTR {}
    }

    /// Types `text` (a Ctrl-Z is "\u{1A}").
    func send(_ text: String) {
        var bytes = Array(text.utf8)
        while !bytes.isEmpty {
            let written = write(master, bytes, bytes.count)
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { usleep(1000); continue }
                return
            }
            bytes.removeFirst(written)
        }
    }

    /// Reads until `text` shows after what earlier calls matched; moves past it.
    /// - Returns: what showed from the previous match up to and including `text`.
    @discardableResult
    func expect(_ text: String, within seconds: Double = 60, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        if let seen = waitFor(text, within: seconds) { return seen }
        let shown = String(decoding: transcript, as: UTF8.self)
        var processes = (try? TestProcess.run("/bin/ps", ["-o", "pid,pgid,tpgid,stat,wchan:20,args", "-s", "\(shell)"]).stdout) ?? ""
        for pid in processes.split(separator: "\n").dropFirst().compactMap({ $0.split(separator: " ").first }) {
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            processes += "\(pid): " + status.split(separator: "\n").filter { $0.hasPrefix("Sig") }.joined(separator: " ") + "\n"
        }
        Issue.record("the terminal did not show \(text.debugDescription) within \(seconds) s; it showed:\n\(shown)\nits session's processes:\n\(processes)",
                     sourceLocation: sourceLocation)
        throw POSIXError(.ETIMEDOUT)
    }

    /// Reads until `text` shows after what earlier calls matched, for at most `seconds`; moves past it.
    /// - Returns: what showed up to and including `text`, or nil if it did not show in time.
    func waitFor(_ text: String, within seconds: Double) -> String? {
        let wanted = Array(text.utf8)
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            if let range = find(wanted) {
                let seen = String(decoding: transcript[cursor..<range.upperBound], as: UTF8.self)
                cursor = range.upperBound
                return seen
            }
            guard ContinuousClock.now < deadline else { return nil }
            readAvailable()
        }
    }

    private func find(_ wanted: [UInt8]) -> Range<Int>? {
        guard transcript.count - cursor >= wanted.count else { return nil }
        var start = cursor
        while start + wanted.count <= transcript.count {
            if transcript[start..<(start + wanted.count)].elementsEqual(wanted) { return start..<(start + wanted.count) }
            start += 1
        }
        return nil
    }

    private func readAvailable() {
        var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 100) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(master, &buffer, buffer.count)
        if count > 0 { transcript += buffer[0..<count] } else if count == 0 || errno == EIO { usleep(50_000) }
    }
}
