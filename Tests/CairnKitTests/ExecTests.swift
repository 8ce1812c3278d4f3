import CairnCore
import CairnTestSupport
import Foundation
import Glibc
import Logging
import Testing
@testable import CairnKit

// Serialized: `signalDispositionsAreRestored` changes this process's signal dispositions, which an exec
// running at the same time would save and restore too.
@Suite("Exec: running a command as a run", .serialized)
struct ExecTests {
    /// Collects what `execute` passes through, from any thread.
    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes: [OutputChannel: [UInt8]] = [:]
        func add(_ stream: OutputChannel, _ chunk: [UInt8]) { lock.withLock { bytes[stream, default: []] += chunk } }
        func text(_ stream: OutputChannel) -> String { lock.withLock { String(decoding: bytes[stream] ?? [], as: UTF8.self) } }
    }

    private let environment = ProcessInfo.processInfo.environment

    private func execute(_ store: Store, _ script: String, experiment: String = "vae/baseline",
                         collected: Collected = Collected()) throws(CairnError) -> (Run, ExecOutcome) {
        try store.execute(try .plain(experiment), command: ["/bin/sh", "-c", script], environment: environment,
                          onOutput: { stream, chunk in collected.add(stream, chunk) })
    }

    /// The log's lines as (time, stream, text), checking the format of each.
    private func logLines(_ store: Store, _ run: Run) throws -> [(time: Timestamp, stream: String, text: String)] {
        let text = try Disk.text(try store.runFilePath(run, .log))
        #expect(text.hasSuffix("\n"))
        return try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            let match = try #require(line.wholeMatch(of: /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (out|err) (.*)/),
                                     "malformed log line: \(line)")
            let time = try #require(Timestamp(iso8601: String(match.1)))
            return (time, String(match.2), String(match.3))
        }
    }

    @Test func aFailingCommandIsFailedWithItsExitCodeAndLog() throws {
        let fixture = try StoreFixture()
        let collected = Collected()
        let script = """
            echo hello; echo oops >&2
            echo "id=$CAIRN_RUN_ID"; echo "dir=$CAIRN_RUN_DIR"; echo "store=$CAIRN_STORE"; echo "exp=$CAIRN_EXPERIMENT"
            exit 3
            """
        var started: Run?
        let (run, outcome) = try fixture.store.execute(try .plain("vae/baseline"), command: ["/bin/sh", "-c", script],
                                                       environment: environment, onStart: { started = $0 },
                                                       onOutput: { stream, chunk in collected.add(stream, chunk) })
        #expect(started?.id == run.id)
        #expect(started?.record.status == .running)
        #expect(outcome.exitCode == 3)
        #expect(outcome.signal == nil)
        #expect(outcome.status == .failed)
        #expect(outcome.shellExitCode == 3)
        #expect(run.record.status == .failed)
        #expect(run.record.exitCode == 3)
        #expect(run.record.exitSignal == nil)
        #expect(run.record.endTime != nil)
        #expect(run.record.command == ["/bin/sh", "-c", script])

        let lines = try logLines(fixture.store, run)
        let texts = lines.map { "\($0.stream) \($0.text)" }
        #expect(texts.contains("out hello"))
        #expect(texts.contains("err oops"))
        #expect(texts.contains("out id=\(run.id)"))
        #expect(texts.contains("out dir=\(run.absoluteFolder)"))
        #expect(texts.contains("out store=\(fixture.root)"))
        #expect(texts.contains("out exp=vae/baseline"))
        #expect(lines.count == 6)
        for line in lines {
            #expect(line.time >= run.record.startTime && line.time <= run.record.endTime!)
        }
        #expect(run.absoluteFolder.hasPrefix(fixture.root + "/vae/baseline/"))
        #expect(try fixture.store.runFilePath(run, .log) == run.absoluteFolder + "/logs/training.log")

        // The output was passed through as it came.
        #expect(collected.text(.stdout).hasPrefix("hello\n"))
        #expect(collected.text(.stderr) == "oops\n")
        // On disk, ended and without a lease.
        let onDisk = try fixture.store.run(run.id.value)
        #expect(onDisk.record.status == .failed && onDisk.record.exitCode == 3)
        #expect(try fixture.store.lease(of: run.id) == nil)
    }

    @Test func exitZeroIsFinished() throws {
        let fixture = try StoreFixture()
        let (run, outcome) = try execute(fixture.store, "echo done")
        #expect(outcome.status == .finished)
        #expect(outcome.exitCode == 0)
        #expect(run.record.status == .finished)
        #expect(run.record.exitCode == 0)
        #expect(try logLines(fixture.store, run).map(\.text) == ["done"])
    }

    @Test func theLogKeepsCarriageReturnsAndPartialLastLines() throws {
        let fixture = try StoreFixture()
        // A final redraw of a progress bar without newline, then a last line without newline on stderr.
        let (run, _) = try execute(fixture.store, "printf 'a\\r\\nb\\n10%%\\r100%%\\n'; printf 'tail' >&2")
        let texts = try logLines(fixture.store, run).map { "\($0.stream) \($0.text)" }
        #expect(texts.contains("out a"))
        #expect(texts.contains("out b"))
        #expect(texts.contains("out 100%"))
        #expect(texts.contains("err tail"))
        #expect(!texts.contains { $0.contains("\r") })
    }

    @Test func killedBySIGKILLIsKilled() throws {
        let fixture = try StoreFixture()
        let (run, outcome) = try execute(fixture.store, "echo before; kill -9 $$; echo after")
        #expect(outcome.signal == 9)
        #expect(outcome.exitCode == nil)
        #expect(outcome.status == .killed)
        #expect(outcome.shellExitCode == 137)
        #expect(run.record.status == .killed)
        #expect(run.record.exitSignal == "SIGKILL")
        #expect(run.record.exitCode == nil)
        let texts = try logLines(fixture.store, run).map(\.text)
        #expect(texts == ["before"])
    }

    @Test func aCrashSignalIsFailed() throws {
        let fixture = try StoreFixture()
        // No core file: the test must leave nothing behind.
        let (run, outcome) = try execute(fixture.store, "ulimit -c 0; kill -SEGV $$")
        #expect(outcome.status == .failed)
        #expect(run.record.status == .failed)
        #expect(run.record.exitSignal == "SIGSEGV")
        #expect(run.record.exitCode == nil)
    }

    @Test func anUnknownCommandIsNotFoundAndTheRunFails() throws {
        let fixture = try StoreFixture()
        let error = Expect.error(.notFound) {
            try fixture.store.execute(try .plain("exp"), command: ["cairn-no-such-command-\(UInt32.random(in: 0...UInt32.max))"],
                                      environment: environment, onOutput: { _, _ in })
        }
        #expect(error?.message.contains("cairn-no-such-command") == true)
        let runs = try fixture.store.runs()
        #expect(runs.count == 1)
        let record = try #require(runs.first).run.record
        #expect(record.status == .failed)
        #expect(record.exitCode == 127)
        #expect(runs.first?.liveness == .ended)
    }

    @Test func anEmptyCommandIsRefused() throws {
        let fixture = try StoreFixture()
        Expect.error(.invalidValue) {
            try fixture.store.execute(try .plain("exp"), command: [], environment: environment, onOutput: { _, _ in })
        }
    }

    @Test func theChildsGrandchildrenInheritTheEnvironment() throws {
        let fixture = try StoreFixture()
        let (run, _) = try execute(fixture.store, "/bin/sh -c 'echo nested=$CAIRN_RUN_ID'")
        #expect(try logLines(fixture.store, run).map(\.text) == ["nested=\(run.id)"])
    }

    @Test func runDirsLayoutLogsBesideTheRun() throws {
        let fixture = try StoreFixture(layoutName: "run-dirs")
        let (run, _) = try execute(fixture.store, "echo x", experiment: "exp")
        let log = try fixture.store.runFilePath(run, .log)
        #expect(Paths.parent(log) == run.absoluteFolder)
        #expect(Paths.lastComponent(log).hasPrefix("log_"))
        #expect(try logLines(fixture.store, run).map(\.text) == ["x"])
    }

    @Test func logLineTimesAndTheRunsTimesComeFromTheStoresClock() throws {
        let start = Timestamp(millisecondsSinceEpoch: 981_173_106_789)
        let fixture = try StoreFixture(clock: ManualWallClock(start))
        let (run, _) = try execute(fixture.store, "echo hi; echo there >&2")
        let lines = try logLines(fixture.store, run)
        #expect(lines.map(\.time) == [start, start])
        #expect(run.record.startTime == start && run.record.endTime == start)
    }

    @Test func aFailingHeartbeatIsWarnedOncePerStreak() throws {
        let records = LogRecords()
        let fixture = try StoreFixture(logger: records.logger)
        // Every 0.1 s a heartbeat; the command makes them fail for 1.5 s (its lease becomes a folder),
        // lets them succeed until one has (the lease is rewritten: waited for, not slept, so a loaded
        // machine cannot skip it), then makes them fail again: two streaks.
        let script = """
            lease="$CAIRN_STORE/.cairn/runs/$CAIRN_RUN_ID/lease.json"
            cp "$lease" "$lease.saved"
            rm "$lease"; mkdir "$lease"; sleep 1.5
            rmdir "$lease"; cp "$lease.saved" "$lease"
            n=0; while cmp -s "$lease" "$lease.saved" && [ $n -lt 400 ]; do sleep 0.05; n=$((n+1)); done
            rm "$lease"; mkdir "$lease"; sleep 1.5
            rmdir "$lease"; mv "$lease.saved" "$lease"
            """
        let (run, outcome) = try fixture.store.execute(try .plain("exp"), command: ["/bin/sh", "-c", script],
                                                       environment: environment, heartbeatSeconds: 0.1,
                                                       onOutput: { _, _ in })
        #expect(outcome.status == .finished)
        let warnings = records.warnings
        #expect(warnings.count == 2, "\(warnings.map(\.message))")
        for warning in warnings {
            #expect(warning.message.contains("cannot record the heartbeat of run \(run.id)"))
            #expect(warning.metadata["run_id"] == "\(run.id)")
            #expect(warning.metadata["path"] == "\(fixture.root)/.cairn/runs/\(run.id)/lease.json")
        }
        #expect(records.all.allSatisfy { $0.level <= .warning })
    }

    /// A signal handler that does nothing (its address is what the test compares).
    private static let handler: @convention(c) (Int32) -> Void = { _ in }

    /// The handler address of a signal's disposition (0 for SIG_DFL, 1 for SIG_IGN).
    private static func disposition(_ signal: Int32) -> Int {
        var current = sigaction()
        sigaction(signal, nil, &current)
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self)
    }

    @Test func signalDispositionsAreRestored() throws {
        let relayed = [SIGINT, SIGTERM, SIGHUP, SIGTSTP, SIGCONT, SIGTTOU]
        var saved: [Int32: sigaction] = [:]
        for signal in relayed {
            var previous = sigaction()
            sigaction(signal, nil, &previous)
            saved[signal] = previous
        }
        defer {
            for (signal, previous) in saved {
                var previous = previous
                sigaction(signal, &previous, nil)
            }
        }
        // A handler for SIGINT, SIG_IGN for SIGHUP, SIG_DFL for SIGTERM, as an embedding program might set.
        var handle = sigaction()
        handle.__sigaction_handler.sa_handler = Self.handler
        sigaction(SIGINT, &handle, nil)
        var ignore = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        sigaction(SIGHUP, &ignore, nil)
        var standard = sigaction()
        standard.__sigaction_handler.sa_handler = SIG_DFL
        sigaction(SIGTERM, &standard, nil)
        let before = relayed.map(Self.disposition)
        #expect(Array(before.prefix(3)) == [unsafeBitCast(Self.handler, to: Int.self), 0, 1])

        let fixture = try StoreFixture()
        let (_, outcome) = try execute(fixture.store, "exit 0")
        #expect(outcome.status == .finished)
        #expect(relayed.map(Self.disposition) == before)
        // A command that cannot start restores them too.
        _ = try? fixture.store.execute(try .plain("exp"), command: ["cairn-no-such-command"], environment: environment,
                                       onOutput: { _, _ in })
        #expect(relayed.map(Self.disposition) == before)
    }
}
