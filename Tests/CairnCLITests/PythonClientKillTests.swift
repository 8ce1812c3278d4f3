#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import CairnTestSupport

/// The Python client's guarantees when a process dies: a training killed with SIGKILL keeps every point
/// it logged at least 100 ms before and every checkpoint it handed over, and its run ends KILLED; an
/// agent killed under the client makes its next call fail at once (or, with `on_error="warn"`, warn).
@Suite("Python client: killed")
struct PythonClientKillTests {
    @Test func aKilledTrainingKeepsWhatItHandedOver() throws {
        let store = try CLITestStore()
        var random = SeededGenerator(seed: 0x5EED_0014)
        for round in 0..<4 {
            let output = store.path + "-train-\(round).out"
            defer { unlink(output) }
            let script = """
                import cairn, sys, time
                run = cairn.init(experiment="py/killed")
                with run.checkpoint(epoch=0) as path:
                    open(path, "wb").write(b"c" * 4096)
                print("run", run.id, "saved", flush=True)
                i = 0
                while True:   # a fast training: about 20,000 points a second
                    run.log({"loss": float(i)}, step=i)
                    if i % 20 == 0:
                        print("logged", i, time.time(), flush=True)
                        time.sleep(0.001)
                    i += 1
                """
            let process = try SpawnedProcess(TestPython.executable, ["-c", script], outputFile: output,
                                              environment: ["CAIRN_BIN": PackagePaths.cairnBinary, "CAIRN_STORE": store.path])
            // Until the run has saved its checkpoint and logged a while, then at a random moment.
            var waited = 0
            while waited < 2_000, ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").components(separatedBy: "logged").count < 30 {
                usleep(5_000)
                waited += 1
            }
            usleep(UInt32(100_000 + random.next() % 300_000))
            let killedAt = Date().timeIntervalSince1970
            process.signal(SIGKILL)
            process.wait()
            let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
            let id = try #require(lines.first?.split(separator: " ").dropFirst().first.map(String.init), "round \(round): \(lines)")
            // The agent writes what it had and ends the run once it sees the client gone.
            var status = ""
            for _ in 0..<200 {
                let details = try store.json("run", "show", id, "--json") as? [String: Any]
                status = details?["status"] as? String ?? ""
                if status != "RUNNING" { break }
                usleep(50_000)
            }
            #expect(status == "KILLED", "round \(round)")
            let handed = lines.filter { $0.hasPrefix("logged") }.compactMap { line -> Int? in
                let parts = line.split(separator: " ")
                guard parts.count == 3, let step = Int(parts[1]), let time = Double(parts[2]), time <= killedAt - 0.1 else { return nil }
                return step
            }
            let points = try #require(try store.json("metric", "show", id, "--key", "loss", "--json") as? [[String: Any]])
            let steps = Set(points.compactMap { $0["step"] as? Int })
            let missing = handed.filter { !steps.contains($0) }
            #expect(missing.isEmpty, "round \(round): steps logged over 100 ms before the kill are missing: \(missing.prefix(5)), the store has up to \(steps.max() ?? -1)")
            #expect(steps.count == (steps.max() ?? -1) + 1, "round \(round): the points are not a whole prefix")
            let kept = try #require(try store.json("ckpt", "ls", id, "--json") as? [[String: Any]])
            #expect(kept.count == 1, "round \(round)")
            #expect(try store.cairn("ckpt", "verify", id).status == 0, "round \(round)")
        }
    }

    @Test func aKilledAgentFailsTheNextCallOrWarns() throws {
        let store = try CLITestStore()
        let result = try TestProcess.run(TestPython.executable, ["-c", """
            import cairn, os, signal, time, warnings
            run = cairn.init(experiment="py/agent-killed")
            run.log({"loss": 1.0}, step=0)
            run.flush()
            os.kill(run._channel._process.pid, signal.SIGKILL)
            run._channel._process.wait()
            start = time.time()
            try:
                run.log_params({"lr": 0.1})
            except cairn.CairnConnectionError as error:
                assert "is gone" in str(error), str(error)
            else:
                raise AssertionError("no error after the agent died")
            assert time.time() - start < 5
            # on_error="warn": the training goes on without Cairn.
            run = cairn.init(experiment="py/agent-killed", on_error="warn")
            os.kill(run._channel._process.pid, signal.SIGKILL)
            run._channel._process.wait()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                for i in range(10):
                    run.log({"loss": 1.0}, step=i)
                run.flush()
                with run.checkpoint(epoch=1) as path:
                    pass
                run.finish()
            assert any("training goes on without Cairn" in str(w.message) for w in caught), [str(w.message) for w in caught]
            # A Cairn that cannot be started at all, with on_error="warn".
            os.environ["CAIRN_BIN"] = "/nonexistent/cairn"
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                detached = cairn.init(experiment="py/none", on_error="warn")
                detached.log({"loss": 1.0})
                detached.finish()
            print("ok")
            """], environment: ["CAIRN_BIN": PackagePaths.cairnBinary, "CAIRN_STORE": store.path, "CAIRN_SOCKET": nil, "CAIRN_RUN_ID": nil])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ok"))
    }
}
