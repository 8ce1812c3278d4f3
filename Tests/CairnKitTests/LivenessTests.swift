#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Runs: liveness of the owner")
struct LivenessTests {
    /// Starts `/bin/sleep` as a child of this process and returns its pid.
    private func startSleeper() throws -> pid_t {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("600"), nil]
        defer { argv.forEach { free($0) } }
        let result = posix_spawn(&pid, "/bin/sleep", nil, nil, argv, environ)
        try #require(result == 0, "posix_spawn failed: \(result)")
        return pid
    }

    /// Kills and reaps a child, so its pid names no process (not even a zombie).
    private func killAndReap(_ pid: pid_t) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    @Test func aRunWhoseOwnerDiedReadsOwnerDead() throws {
        let fixture = try StoreFixture()
        let pid = try startSleeper()
        let run: Run
        do {
            run = try fixture.store.createRun(try .plain("exp", owner: LeaseOwner(pid: pid)))
        } catch {
            killAndReap(pid)
            throw error
        }
        #expect(try fixture.store.lease(of: run.id)?.pid == pid)
        #expect(fixture.store.liveness(of: run.record) == .alive)
        killAndReap(pid)
        #expect(fixture.store.liveness(of: run.record) == .ownerDead)
        #expect(try fixture.store.runs().first?.liveness == .ownerDead)
        // Its status on disk is still RUNNING: only the owner (or a user) ends a run.
        #expect(try fixture.store.run(run.id.value).record.status == .running)
    }

    @Test func anOwnerAlreadyGoneReadsOwnerDead() throws {
        let fixture = try StoreFixture()
        let pid = try startSleeper()
        killAndReap(pid)
        let run = try fixture.store.createRun(try .plain("exp", owner: LeaseOwner(pid: pid)))
        #expect(fixture.store.liveness(of: run.record) == .ownerDead)
    }

    @Test func aZombieOwnerIsDead() throws {
        let fixture = try StoreFixture()
        let pid = try startSleeper()
        defer { killAndReap(pid) }
        let run = try fixture.store.createRun(try .plain("exp", owner: LeaseOwner(pid: pid)))
        kill(pid, SIGKILL)
        // Wait for the child to become a zombie without reaping it.
        var info = siginfo_t()
        #expect(waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == 0)
        #expect(fixture.store.liveness(of: run.record) == .ownerDead)
    }

    @Test func theCurrentProcessIsAlive() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        #expect(fixture.store.liveness(of: run.record) == .alive)
        let lease = try #require(try fixture.store.lease(of: run.id))
        #expect(lease.pid == getpid())
        #expect(lease.host == HostInfo.hostName)
        #expect(lease.processStartTicks != nil)
    }

    @Test func anEndedRunIsEnded() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        let ended = try fixture.store.endRun(try fixture.store.resolveRun(run.id.value), status: .finished)
        #expect(fixture.store.liveness(of: ended.record) == .ended)
        #expect(try fixture.store.runs().first?.liveness == .ended)
    }

    @Test func aRunWithoutALeaseIsUnknown() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        try FileManager.default.removeItem(atPath: fixture.root + "/.cairn/runs/\(run.id)/lease.json")
        #expect(fixture.store.liveness(of: run.record) == .unknown)
    }

    @Test func aRemoteOwnerIsJudgedByItsHeartbeat() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        let path = fixture.root + "/.cairn/runs/\(run.id)/lease.json"
        func writeLease(heartbeatAgo seconds: Int64, interval: Double?) throws {
            let beat = Timestamp(millisecondsSinceEpoch: SystemWallClock().now().millisecondsSinceEpoch - seconds * 1000)
            let lease = LeaseRecord(runID: run.id, host: "some-other-host.invalid", pid: 1, processStartTicks: nil,
                                    acquiredAt: beat, heartbeatAt: beat, heartbeatIntervalSeconds: interval)
            try AtomicFile.write(try JSONCoding.encode(lease), to: path)
        }
        // Margins of hours, so that how long the test takes does not matter.
        try writeLease(heartbeatAgo: 0, interval: 3600)
        #expect(fixture.store.liveness(of: run.record) == .alive)
        try writeLease(heartbeatAgo: 86_400, interval: 60)
        #expect(fixture.store.liveness(of: run.record) == .ownerDead)
        try writeLease(heartbeatAgo: 0, interval: nil)
        #expect(fixture.store.liveness(of: run.record) == .unknown)
    }

    @Test func heartbeatsAndTransfersRewriteTheLease() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        let path = fixture.root + "/.cairn/runs/\(run.id)/lease.json"
        let old = Timestamp(millisecondsSinceEpoch: 946_684_800_000)  // 2000-01-01
        var lease = try #require(try fixture.store.lease(of: run.id))
        lease.heartbeatAt = old
        try AtomicFile.write(try JSONCoding.encode(lease), to: path)
        try fixture.store.heartbeat(run.id)
        let beaten = try #require(try fixture.store.lease(of: run.id))
        #expect(beaten.heartbeatAt > old)
        #expect(beaten.pid == lease.pid && beaten.acquiredAt == lease.acquiredAt)

        try fixture.store.transferLease(of: run.id, to: LeaseOwner(pid: getppid(), heartbeatIntervalSeconds: 10))
        let moved = try #require(try fixture.store.lease(of: run.id))
        #expect(moved.pid == getppid())
        #expect(moved.heartbeatIntervalSeconds == 10)

        // Without a lease, a heartbeat does not make one.
        try fixture.store.endRun(try fixture.store.resolveRun(run.id.value), status: .finished)
        try fixture.store.heartbeat(run.id)
        #expect(!Disk.exists(path))
    }
}
