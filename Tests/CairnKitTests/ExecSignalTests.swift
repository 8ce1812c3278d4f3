import CairnCore
import CairnTestSupport
import Foundation
import Glibc
import Testing
@testable import CairnKit

// In the serialized Exec suite: these send signals to this process while a command runs, and
// `signalDispositionsAreRestored` checks the dispositions between commands.
extension ExecTests {
    /// Runs `script` with `/bin/sh -c` under `execute`; `$PPID` in it is this process.
    private func executeShell(_ store: Store, _ script: String) throws(CairnError) -> (Run, ExecOutcome) {
        try store.execute(try .plain("exp"), command: ["/bin/sh", "-c", script], environment: ProcessInfo.processInfo.environment,
                          onOutput: { _, _ in })
    }

    @Test(.timeLimit(.minutes(1)))
    func aSIGTERMThatTheCommandCatchesIsRecordedAsItArrives() throws {
        let start = Timestamp(millisecondsSinceEpoch: 981_173_106_789)
        let fixture = try StoreFixture(clock: ManualWallClock(start))
        // The command catches SIGTERM, waits until run.json lists it (it is recorded while the run is
        // RUNNING, not only at the end), "saves" and exits 0; the SIGTERM comes from this process.
        let script = """
            trap 'for i in $(seq 200); do grep -q SIGTERM "$CAIRN_RUN_DIR/run.json" && echo recorded-while-running && break; sleep 0.05; done; echo saved; exit 0' TERM
            kill -TERM $PPID
            sleep 30 & wait
            """
        let (run, outcome) = try executeShell(fixture.store, script)
        #expect(outcome.status == .finished)
        #expect(outcome.exitCode == 0)
        #expect(outcome.forwardedSignal == SIGTERM)
        let expected = [ForwardedSignal(signal: "SIGTERM", at: start)]
        #expect(outcome.forwardedSignals == expected)
        #expect(run.record.status == .finished)
        #expect(run.record.forwardedSignals == expected)
        let log = try Disk.text(try fixture.store.runFilePath(run, .log))
        #expect(log.contains(" out recorded-while-running"))
        #expect(log.contains(" out saved"))
        let record = try Disk.jsonObject(run.absoluteFolder + "/run.json")
        let listed = try #require(record["forwarded_signals"] as? [[String: Any]])
        #expect(listed.count == 1)
        #expect(listed.first?["signal"] as? String == "SIGTERM")
        #expect(listed.first?["at"] as? String == start.iso8601)
        #expect(fixture.store.info(of: run).forwardedSignals == expected)
    }

    @Test(.timeLimit(.minutes(1)))
    func aSIGTERMForwardedToAStoppedCommandEndsIt() throws {
        let fixture = try StoreFixture()
        // The command stops itself; a process of its group sends this process SIGTERM a moment later.
        // Forwarded alone, the SIGTERM would stay pending in the stopped command forever.
        let script = """
            trap 'echo got TERM; exit 0' TERM
            parent=$PPID
            (sleep 0.3; kill -TERM $parent) &
            kill -STOP $$
            echo continued without the signal
            """
        let (run, outcome) = try executeShell(fixture.store, script)
        #expect(outcome.exitCode == 0)
        #expect(run.record.forwardedSignals?.map(\.signal) == ["SIGTERM"])
        let log = try Disk.text(try fixture.store.runFilePath(run, .log))
        #expect(log.contains(" out got TERM"))
        #expect(!log.contains("continued without"))
    }

    @Test func aRunWithoutForwardedSignalsHasNoneInItsRecord() throws {
        let fixture = try StoreFixture()
        let (run, outcome) = try executeShell(fixture.store, "exit 0")
        #expect(outcome.forwardedSignals.isEmpty)
        #expect(run.record.forwardedSignals == nil)
        #expect(try Disk.jsonObject(run.absoluteFolder + "/run.json")["forwarded_signals"] == nil)
        #expect(fixture.store.info(of: run).forwardedSignals.isEmpty)
    }
}
