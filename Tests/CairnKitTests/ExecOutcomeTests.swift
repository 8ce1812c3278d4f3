#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore
import Testing
@testable import CairnKit

@Suite("ExecOutcome: how a command's end maps to a run status")
struct ExecOutcomeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var exitCode: Int32?
        var signal: Int32?
        var forwarded: Int32?
        var status: RunStatus
        var shellExitCode: Int32
        var testDescription: String {
            "exit \(exitCode.map(String.init) ?? "-") signal \(signal.map(String.init) ?? "-") forwarded \(forwarded.map(String.init) ?? "-")"
        }
    }

    static let table: [Case] = [
        Case(exitCode: 0, status: .finished, shellExitCode: 0),
        Case(exitCode: 1, status: .failed, shellExitCode: 1),
        Case(exitCode: 127, status: .failed, shellExitCode: 127),
        Case(exitCode: 255, status: .failed, shellExitCode: 255),
        // Stopped from outside.
        Case(signal: SIGKILL, status: .killed, shellExitCode: 137),
        Case(signal: SIGTERM, status: .killed, shellExitCode: 143),
        Case(signal: SIGINT, status: .killed, shellExitCode: 130),
        Case(signal: SIGHUP, status: .killed, shellExitCode: 129),
        Case(signal: SIGQUIT, status: .killed, shellExitCode: 131),
        // Crashes.
        Case(signal: SIGSEGV, status: .failed, shellExitCode: 139),
        Case(signal: SIGABRT, status: .failed, shellExitCode: 134),
        Case(signal: SIGBUS, status: .failed, shellExitCode: 128 + SIGBUS),
        Case(signal: SIGFPE, status: .failed, shellExitCode: 136),
        Case(signal: SIGILL, status: .failed, shellExitCode: 132),
        // After exec forwarded SIGINT or SIGTERM, any non-zero end is a kill; a clean exit is still a finish.
        Case(exitCode: 1, forwarded: SIGINT, status: .killed, shellExitCode: 1),
        Case(exitCode: 130, forwarded: SIGINT, status: .killed, shellExitCode: 130),
        Case(signal: SIGSEGV, forwarded: SIGTERM, status: .killed, shellExitCode: 139),
        Case(exitCode: 0, forwarded: SIGTERM, status: .finished, shellExitCode: 0),
    ]

    @Test(arguments: table)
    func statusAndShellExitCode(_ c: Case) {
        let outcome = ExecOutcome(exitCode: c.exitCode, signal: c.signal, forwardedSignal: c.forwarded, durationSeconds: 1)
        #expect(outcome.status == c.status)
        #expect(outcome.shellExitCode == c.shellExitCode)
    }

    @Test(arguments: [(SIGKILL, "SIGKILL"), (SIGTERM, "SIGTERM"), (SIGSEGV, "SIGSEGV"), (SIGINT, "SIGINT"),
                      (SIGUSR1, "SIGUSR1"), (Int32(64), "SIG64")])
    func signalNames(_ signal: Int32, _ name: String) {
        #expect(ExecOutcome.name(ofSignal: signal) == name)
    }
}
