import Foundation
import Testing
import CairnTestSupport

/// Run creation is race-free across processes.
@Suite struct CLIConcurrencyTests {
    @Test func eightProcessesCreateEightHundredRuns() throws {
        let store = try CLITestStore()
        let binary = PackagePaths.cairnBinary
        let script = "for i in $(seq 100); do \"$0\" run new -e race/exp --no-git --store \"$1\" >/dev/null || exit 1; done"
        let group = DispatchGroup()
        let results = ResultBox()
        for worker in 0..<8 {
            group.enter()
            DispatchQueue.global().async {
                let result = Result { try TestProcess.run("/bin/sh", ["-c", script, binary, store.path]) }
                results.set(worker, result)
                group.leave()
            }
        }
        group.wait()
        for worker in 0..<8 {
            let result = try #require(try results.get(worker)?.get())
            #expect(result.status == 0, "worker \(worker): \(result.stderr)")
        }
        let runs = try #require(try store.json("run", "ls", "-e", "race/exp", "--json") as? [[String: Any]])
        let ids = runs.compactMap { $0["id"] as? String }
        #expect(ids.count == 800)
        #expect(Set(ids).count == 800)
        #expect(ids == ids.sorted())
        // Each run folder holds a valid run.json naming itself.
        let folders = try FileManager.default.contentsOfDirectory(atPath: store.path + "/race/exp")
        #expect(folders.count == 800)
        for folder in folders {
            let data = try Data(contentsOf: URL(fileURLWithPath: store.path + "/race/exp/" + folder + "/run.json"))
            let record = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(record["id"] as? String == folder)
            #expect(record["status"] as? String == "RUNNING")
        }
        #expect(try store.output("latest", "race/exp") == ids.max())
        // The experiment was created once, despite eight processes racing to create it.
        let experiments = try #require(try store.json("exp", "ls", "--json") as? [[String: Any]])
        #expect(experiments.count == 1)
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: Result<TestProcess.Result, any Error>] = [:]
    func set(_ key: Int, _ value: Result<TestProcess.Result, any Error>) { lock.lock(); results[key] = value; lock.unlock() }
    func get(_ key: Int) -> Result<TestProcess.Result, any Error>? { lock.lock(); defer { lock.unlock() }; return results[key] }
}
