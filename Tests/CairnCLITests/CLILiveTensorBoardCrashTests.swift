#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import CairnTestSupport

/// `cairn metric log` processes killed with SIGKILL at random moments while appending to a run's live
/// event file: the next call repairs any torn tail, and at the end the file reads whole (no damage)
/// with every point of every call that completed.
@Suite struct CLILiveTensorBoardCrashTests {
    @Test func killedAppendsLeaveAFileTheNextCallRepairs() throws {
        let store = try CLITestStore()
        let run = try store.newRun("tb/crash")
        try store.output("metric", "log", run, "k0=0", "--step", "0", "--tb")
        let values = (0..<1500).map { "k\($0)=\(Double($0) / 8)" }  // about 60 kB of events per call
        var rng = SeededGenerator(seed: 11)
        var completed: [Int] = [0]
        var killed = 0
        for round in 1...40 {
            let process = try SpawnedProcess(PackagePaths.cairnBinary,
                                             ["metric", "log", run] + values + ["--step", String(round), "--store", store.path])
            if round % 2 == 0 {
                usleep(UInt32(2_000 + rng.next() % 40_000))
                process.signal(SIGKILL)
            }
            let status = process.wait()
            if (status & 0x7F) == 0, (status >> 8) & 0xFF == 0 { completed.append(round) } else { killed += 1 }
        }
        try store.output("metric", "log", run, "k0=0.5", "--step", "41")
        completed.append(41)
        #expect(killed > 0)
        let folder = try store.output("path", run)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/events").sorted()
        // Cairn's reader finds no damage (a torn tail would be reported, and was cut by the next call).
        let check = try store.newRun("tb/check")
        for file in files {
            let imported = try store.cairn("tb", "import", folder + "/events/" + file, "--run", check, "--split", "x")
            #expect(imported.status == 0 && !imported.stderr.contains("stops being readable"), "\(file): \(imported.stderr)")
        }
        // TensorBoard finds every step of every completed call.
        let script = """
            import sys, json
            from tensorboard.backend.event_processing import event_accumulator as ea
            a = ea.EventAccumulator(sys.argv[1], size_guidance={'scalars': 0}); a.Reload()
            print(json.dumps(sorted({s.step for s in a.Scalars('train/k0')})))
            """
        let read = try TestPython.run(script, [folder + "/events"])
        try #require(read.status == 0, "python: \(read.stderr)")
        let steps = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [Int])
        #expect(Set(completed).isSubset(of: Set(steps)), "missing: \(Set(completed).subtracting(steps).sorted())")
    }
}
