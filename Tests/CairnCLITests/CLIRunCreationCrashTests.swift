#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import CairnTestSupport

/// `cairn run new` (with a new experiment now and then) killed with SIGKILL at random moments: every
/// run a listing shows is complete, `latest` names the newest of them, and creating runs goes on.
@Suite("cairn run new: killed")
struct CLIRunCreationCrashTests {
    @Test func killedCreationsLeaveOnlyCompleteRunsVisible() throws {
        let store = try CLITestStore()
        let config = store.path + "/../cfg-\(getpid()).yaml"
        try Data("training:\n  lr: 0.001\n  epochs: 3\n".utf8).write(to: URL(fileURLWithPath: config))
        defer { unlink(config) }
        var random = SeededGenerator(seed: 0x5EED_0006)
        var window = 30_000   // microseconds
        var landed = 0, completed = 0
        for round in 0..<60 {
            let experiment = "kill/exp-\(round / 15)"   // every 15 rounds the first run creates its experiment
            let process = try SpawnedProcess(PackagePaths.cairnBinary,
                                             ["run", "new", "-e", experiment, "--no-git", "--config", config,
                                              "--set", "training.lr=0.01", "--tag", "round=\(round)", "--store", store.path])
            usleep(UInt32(random.next() % UInt64(window)))
            process.signal(SIGKILL)
            process.wait()
            if process.exitCode == 0 { completed += 1; window = max(2_000, window * 2 / 3) } else { landed += 1; window = min(1_000_000, window * 5 / 4) }
        }
        #expect(landed >= 10, "only \(landed) kills landed inside a creation (\(completed) completed)")
        let runs = try #require(try store.json("run", "ls", "--json") as? [[String: Any]])
        #expect(runs.count >= completed && runs.count <= 60)
        for run in runs {
            let id = try #require(run["id"] as? String)
            let show = try store.cairn("run", "show", id, "--json")
            #expect(show.status == 0, "\(id): \(show.stderr)")
            let folder = try store.output("path", id)
            let yaml = try String(contentsOfFile: folder + "/config.yaml", encoding: .utf8)
            #expect(yaml.contains("lr: 0.01"), "\(id): \(yaml)")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".cairn-") }
            #expect(leftovers.isEmpty, "\(id): \(leftovers)")
        }
        // Each experiment's latest is its newest visible run, and a new run becomes latest.
        for experiment in Set(runs.compactMap { $0["experiment"] as? String }) {
            let newest = runs.filter { $0["experiment"] as? String == experiment }.compactMap { $0["id"] as? String }.max()
            #expect(try store.output("latest", experiment) == newest)
        }
        let next = try store.cairn("run", "new", "-e", "kill/exp-0", "--no-git", "--json")
        #expect(next.status == 0, "\(next.stderr)")
        let nextID = try #require((try JSONSerialization.jsonObject(with: Data(next.stdout.utf8)) as? [String: Any])?["id"] as? String)
        #expect(try store.output("latest", "kill/exp-0") == nextID)
    }
}
