import Foundation
import Testing
import CairnTestSupport

/// `kill -9` while the manifest snapshot is being rewritten never matters: with the snapshot rewritten
/// at every save (`CAIRN_SNAPSHOT_REFRESH_BYTES=0`), the crash invariants hold after every kill, and
/// listing through the snapshot gives what listing without it gives.
@Suite struct CLIManifestSnapshotCrashTests {
    @Test func sigkillWhileSnapshotsAreWritten() throws {
        let store = try CLITestStore()
        let run = try store.newRun("crash/snapshot")
        let snapshot = store.path + "/.cairn/runs/" + run + "/checkpoints.state"
        let environment = ["CAIRN_SNAPSHOT_REFRESH_BYTES": "0"]
        var rng = SeededGenerator(seed: 20261124)
        var sawSnapshot = false
        for kill in 1...40 {
            let output = store.path + "-loop.out"
            let process = try SpawnedProcess(PackagePaths.benchBinary, ["save-loop", store.path, run, "20000", "3"],
                                             outputFile: output, errorFile: store.path + "-loop.err", environment: environment)
            var info = stat()
            var waited = 0
            while waited < 2_500, stat(output, &info) != 0 || info.st_size == 0 {
                usleep(2_000)
                waited += 1
            }
            usleep(UInt32(rng.next() % 30_000))
            process.signal(SIGKILL)
            process.wait()
            try? FileManager.default.removeItem(atPath: output)
            try CLICheckpointCrashTests.checkInvariants(store, run: run, context: "kill \(kill)")
            sawSnapshot = sawSnapshot || FileManager.default.fileExists(atPath: snapshot)
            let withSnapshot = try store.cairn("ckpt", "ls", run, "--all", "--json")
            try? FileManager.default.removeItem(atPath: snapshot)
            let without = try store.cairn("ckpt", "ls", run, "--all", "--json")
            #expect(withSnapshot.status == 0 && without.status == 0)
            #expect(withSnapshot.stdout == without.stdout, "kill \(kill): listing through the snapshot differs")
        }
        #expect(sawSnapshot)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.path + "/.cairn/runs/" + run)
            .filter { $0.hasPrefix(".cairn-tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}
