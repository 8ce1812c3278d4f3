import Foundation
import Testing
import CairnTestSupport

/// `cairn exec`: environment, logs, exit status mapping, and signals, with real processes.
@Suite struct CLIExecTests {
    @Test func environmentLogsAndExitCode() throws {
        let store = try CLITestStore()
        let script = """
            echo "id=$CAIRN_RUN_ID dir=$CAIRN_RUN_DIR store=$CAIRN_STORE exp=$CAIRN_EXPERIMENT"
            sh -c 'echo "grandchild=$CAIRN_RUN_ID"'
            printf 'step 1\\rstep 2\\rstep 3\\n'
            echo problem >&2
            exit 3
            """
        let result = try store.cairn("exec", "-e", "exec/env", "--no-git", "--", "/bin/sh", "-c", script)
        #expect(result.status == 3)
        let runs = try #require(try store.json("run", "ls", "--json") as? [[String: Any]])
        let run = try #require(runs.first)
        let id = try #require(run["id"] as? String)
        let folder = try #require(run["folder"] as? String)
        #expect(run["status"] as? String == "FAILED")
        #expect(run["exit_code"] as? Int == 3)
        // The output passed through unchanged…
        #expect(result.stdout.contains("id=\(id) dir=\(folder) store=\(store.path) exp=exec/env"))
        #expect(result.stdout.contains("grandchild=\(id)"))
        #expect(result.stdout.contains("step 1\rstep 2\rstep 3\n"))
        #expect(result.stderr.contains("problem"))
        // …and was logged with a timestamp per line; the progress bar's final state is there.
        let log = try String(contentsOfFile: folder + "/logs/training.log", encoding: .utf8)
        let lines = log.split(separator: "\n")
        #expect(lines.contains { $0.hasSuffix(" out grandchild=\(id)") })
        #expect(lines.contains { $0.hasSuffix(" err problem") })
        #expect(lines.contains { $0.hasSuffix(" out step 3") })
        #expect(!log.contains("\r"))
        for line in lines {
            #expect(line.count > 25 && line.dropFirst(23).hasPrefix("Z "), "no timestamp: \(line)")
        }
    }

    @Test func finishedOnSuccess() throws {
        let store = try CLITestStore()
        let result = try store.cairn("exec", "-e", "e", "--no-git", "--config", "/dev/null", "--", "true")
        #expect(result.status == 0, "\(result.stderr)")
        let run = try #require((try store.json("run", "ls", "--json") as? [[String: Any]])?.first)
        #expect(run["status"] as? String == "FINISHED")
        #expect(run["exit_code"] as? Int == 0)
    }

    /// Starts `cairn exec` of a child that records its pid and sleeps; returns the exec process and the child's pid.
    private func startSleeper(_ store: CLITestStore, onTERM: String = "echo got TERM; exit 143") throws -> (SpawnedProcess, Int32, String) {
        let pidFile = store.path + "-child.pid"
        let process = try SpawnedProcess(PackagePaths.cairnBinary, [
            "exec", "-e", "exec/kill", "--no-git", "--store", store.path, "--",
            "/bin/sh", "-c", "echo $$ > '\(pidFile)'; echo started; trap '\(onTERM)' TERM; sleep 60 & wait"])
        var childPID: Int32?
        for _ in 0..<500 {
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                childPID = pid
                break
            }
            usleep(20_000)
        }
        // Wait until the child's first line is in the log, so the run is fully under way.
        let id = try store.output("latest", "exec/kill")
        let folder = try store.output("path", "exec/kill", id)
        for _ in 0..<500 {
            if let log = try? String(contentsOfFile: folder + "/logs/training.log", encoding: .utf8), log.contains("started") { break }
            usleep(20_000)
        }
        try? FileManager.default.removeItem(atPath: pidFile)
        return (process, try #require(childPID), id)
    }

    @Test func sigtermIsForwardedAndTheRunIsKilled() throws {
        let store = try CLITestStore()
        let (process, _, id) = try startSleeper(store)
        let running = try #require(try store.json("run", "show", id, "--json") as? [String: Any])
        #expect(running["status"] as? String == "RUNNING")
        #expect(running["liveness"] as? String == "alive")
        process.signal(SIGTERM)  // to cairn exec, which forwards it to the child's process group
        #expect(process.exitCode == 143)
        let ended = try #require(try store.json("run", "show", id, "--json") as? [String: Any])
        #expect(ended["status"] as? String == "KILLED")
        #expect((ended["forwarded_signals"] as? [[String: Any]])?.map { $0["signal"] as? String } == ["SIGTERM"])
        let log = try String(contentsOfFile: (ended["folder"] as? String ?? "") + "/logs/training.log", encoding: .utf8)
        #expect(log.contains("out started"))
        #expect(log.contains("out got TERM"))
    }

    /// A process's state letter (`R`, `S`, `T`…) from /proc.
    private func state(of pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(close, offsetBy: 2)...].first
    }

    @Test(.timeLimit(.minutes(2)))
    func sigtermReachesAStoppedCommandAndAPreemptedRunIsToldApart() throws {
        let store = try CLITestStore()
        // The command catches SIGTERM, "saves" and exits 0, as a preemptible training script does.
        let (process, child, id) = try startSleeper(store, onTERM: "echo saved; exit 0")
        kill(child, SIGSTOP)
        for _ in 0..<500 where state(of: child) != "T" { usleep(10_000) }
        #expect(state(of: child) == "T")
        // Forwarded to a stopped group, then SIGCONT: it ends instead of hanging.
        process.signal(SIGTERM)
        #expect(process.exitCode == 0)
        let ended = try #require(try store.json("run", "show", id, "--json") as? [String: Any])
        #expect(ended["status"] as? String == "FINISHED")
        let forwarded = try #require(ended["forwarded_signals"] as? [[String: Any]])
        #expect(forwarded.count == 1)
        #expect(forwarded.first?["signal"] as? String == "SIGTERM")
        let at = try #require(forwarded.first?["at"] as? String)
        #expect(at.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
        #expect(at >= ended["start_time"] as? String ?? "" && at <= ended["end_time"] as? String ?? "")
        // run.json holds them; run show says so.
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: (ended["folder"] as? String ?? "") + "/run.json"))) as? [String: Any]
        #expect((record?["forwarded_signals"] as? [[String: Any]])?.first?["at"] as? String == at)
        #expect(try store.output("run", "show", id).contains("signals     forwarded SIGTERM at "))
        let log = try String(contentsOfFile: (ended["folder"] as? String ?? "") + "/logs/training.log", encoding: .utf8)
        #expect(log.contains("out saved"))
    }

    @Test func aRunWithoutConfigHasAnEmptyConfigFileThatPythonReads() throws {
        let store = try CLITestStore()
        let script = "import os, yaml; print('config', yaml.safe_load(open(os.path.join(os.environ['CAIRN_RUN_DIR'], 'config.yaml'))))"
        let exe = TestPython.executable
        let python = exe == "/usr/bin/env" ? ["/usr/bin/env", "python3"] : [exe]
        let result = try store.cairn(["exec", "-e", "cfg/none", "--no-git", "--"] + python + ["-c", script])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("config {}"))
        // run new too.
        let folder = try store.output("run", "new", "-e", "cfg/none", "--no-git")
        #expect(try String(contentsOfFile: folder + "/config.yaml", encoding: .utf8) == "{}\n")
    }

    @Test func sigintIsForwarded() throws {
        let store = try CLITestStore()
        let (process, _, id) = try startSleeper(store)
        process.signal(SIGINT)
        process.wait()
        let ended = try #require(try store.json("run", "show", id, "--json") as? [String: Any])
        #expect(ended["status"] as? String == "KILLED")
    }

    @Test func childKilledBySigkill() throws {
        let store = try CLITestStore()
        let (process, child, id) = try startSleeper(store)
        kill(child, SIGKILL)
        #expect(process.exitCode == 128 + SIGKILL)
        let ended = try #require(try store.json("run", "show", id, "--json") as? [String: Any])
        #expect(ended["status"] as? String == "KILLED")
        #expect(ended["exit_signal"] as? String == "SIGKILL")
        let log = try String(contentsOfFile: (ended["folder"] as? String ?? "") + "/logs/training.log", encoding: .utf8)
        #expect(log.contains("out started"))
    }

    @Test func crashIsFailed() throws {
        let store = try CLITestStore()
        let result = try store.cairn("exec", "-e", "e", "--no-git", "--", "/bin/sh", "-c", "kill -SEGV $$")
        #expect(result.status == 128 + SIGSEGV)
        let run = try #require((try store.json("run", "ls", "--json") as? [[String: Any]])?.first)
        #expect(run["status"] as? String == "FAILED")
    }

    @Test func execKilledLeavesADeadOwner() throws {
        let store = try CLITestStore()
        let (process, child, id) = try startSleeper(store)
        process.signal(SIGKILL)
        process.wait()
        kill(-child, SIGKILL)
        kill(child, SIGKILL)
        let shown = try #require(try store.json("run", "show", id, "--json") as? [String: Any])
        #expect(shown["status"] as? String == "RUNNING")
        #expect(shown["liveness"] as? String == "owner-dead")
        #expect(try store.output("run", "ls").contains("RUNNING (owner dead)"))
    }
}
