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

/// The index stays right while eight processes write at once.
@Suite struct CLIIndexConcurrencyTests {
    @Test func eightWritersNeverLockOrLoseAnUpdate() throws {
        let store = try CLITestStore()
        try store.output("run", "ls")  // the first search creates the index; every write after updates it
        let binary = PackagePaths.cairnBinary
        // Each worker: 6 runs, each with a tag, 3 metric logs, a checkpoint and an end.
        let script = #"""
            set -e
            for i in $(seq 6); do
              id=$("$0" run new -e "idx/w$2" --no-git --store "$1" --tag worker=$2 --json | sed -n 's/^  "id" : "\(.*\)",$/\1/p')
              "$0" run tag "$id" "i=$i" --store "$1" >/dev/null
              for s in 1 2 3; do "$0" metric log "$id" "loss=0.$s$i" --step $s --split eval --store "$1" >/dev/null; done
              printf 'w' > "$1/ck-$2-$i.pt"
              "$0" ckpt save "$id" "$1/ck-$2-$i.pt" --move --epoch 1 --metric val_loss=0.$i --store "$1" >/dev/null
              "$0" run finish "$id" --store "$1" >/dev/null
            done
            """#
        let group = DispatchGroup()
        let results = ResultBox()
        for worker in 0..<8 {
            group.enter()
            DispatchQueue.global().async {
                let result = Result { try TestProcess.run("/bin/sh", ["-c", script, binary, store.path, String(worker)]) }
                results.set(worker, result)
                group.leave()
            }
        }
        group.wait()
        for worker in 0..<8 {
            let result = try #require(try results.get(worker)?.get())
            #expect(result.status == 0 && !result.stderr.contains("locked"), "worker \(worker): \(result.stderr)")
        }
        // Nothing lost: the index equals the files without any search having swept it.
        let check = try store.cairn("reindex", "--check")
        #expect(check.status == 0 && check.stdout.contains("current (48 runs)"), "\(check.stdout)\(check.stderr)")
        let found = try #require(try store.json("run", "ls", "--json", "--filter", "metrics.`eval/loss` > 0 and status = 'FINISHED'",
                                                "--columns", "checkpoints.last.val_loss") as? [[String: Any]])
        #expect(found.count == 48)
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: Result<TestProcess.Result, any Error>] = [:]
    func set(_ key: Int, _ value: Result<TestProcess.Result, any Error>) { lock.lock(); results[key] = value; lock.unlock() }
    func get(_ key: Int) -> Result<TestProcess.Result, any Error>? { lock.lock(); defer { lock.unlock() }; return results[key] }
}
