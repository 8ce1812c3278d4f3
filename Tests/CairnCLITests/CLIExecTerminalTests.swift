import CairnTestSupport
import Foundation
import Glibc
import Testing

/// `cairn exec` typed at an interactive shell in a pseudo-terminal: the command gets the terminal
/// (`input()`, `pdb`), and Ctrl-Z then `fg` stop and continue it as a shell job.
@Suite(.timeLimit(.minutes(3)))
struct CLIExecTerminalTests {
    /// `python -c 'SOURCE'` as a shell word list (`env python3` when no Python was configured).
    private func python(_ source: String) -> String {
        let exe = TestPython.executable
        return (exe == "/usr/bin/env" ? "/usr/bin/env python3" : "'\(exe)'") + " -c \"\(source)\""
    }

    private func exec(_ store: CLITestStore, _ experiment: String, _ command: String) -> String {
        "'\(PackagePaths.cairnBinary)' exec -e \(experiment) --no-git --store '\(store.path)' -- \(command)\n"
    }

    /// The one run of an experiment, from `run ls --json`.
    private func run(_ store: CLITestStore, _ experiment: String) throws -> [String: Any] {
        let runs = try #require(try store.json("run", "ls", "-e", experiment, "--json") as? [[String: Any]])
        try #require(runs.count == 1)
        return runs[0]
    }

    /// A process's state letter (`R`, `S`, `T`…) from /proc.
    /// `fg` a stopped job whose command waits at an `input()` prompt, answer it, and check that the
    /// job ends with exit status 0 and its run FINISHED.
    private func resumeAndAnswer(_ terminal: PseudoTerminal, _ store: CLITestStore, _ experiment: String) throws {
        terminal.send("fg\n")
        terminal.send("ana\n")
        try terminal.expect("got ana")
        try terminal.expect(PseudoTerminal.prompt)
        terminal.send("echo exit=$?\n")
        try terminal.expect("exit=0")
        #expect(try run(store, experiment)["status"] as? String == "FINISHED")
    }

    private func state(of pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(close, offsetBy: 2)...].first
    }

    @Test func anInputPromptIsAnswered() throws {
        let store = try CLITestStore()
        let terminal = try PseudoTerminal()
        try terminal.expect(PseudoTerminal.prompt)
        // The prompt is built from two halves, so that the echo of the command line does not match it.
        terminal.send(exec(store, "tty/input", python("x = input('na' + 'me? '); print('got', x)")))
        try terminal.expect("name? ")
        terminal.send("ana\n")
        try terminal.expect("got ana")
        try terminal.expect(PseudoTerminal.prompt)
        terminal.send("echo exit=$?\n")
        try terminal.expect("exit=0")
        let run = try run(store, "tty/input")
        #expect(run["status"] as? String == "FINISHED")
        #expect((run["forwarded_signals"] as? [Any])?.isEmpty == true)
        // The shell has its terminal back: it reads the next line.
        terminal.send("echo back-$((1 + 1))-shell\n")
        try terminal.expect("back-2-shell")
    }

    @Test func pdbContinues() throws {
        let store = try CLITestStore()
        let terminal = try PseudoTerminal()
        try terminal.expect(PseudoTerminal.prompt)
        // Three lines (bash's $'…' quoting), so that pdb stops before the print.
        let exe = TestPython.executable == "/usr/bin/env" ? "/usr/bin/env python3" : "'\(TestPython.executable)'"
        terminal.send(exec(store, "tty/pdb", exe + " -c $'import pdb\\npdb.set_trace()\\nprint(\"after\", \"pdb\")'"))
        try terminal.expect("(Pdb) ")
        terminal.send("c\n")
        try terminal.expect("after pdb")
        try terminal.expect(PseudoTerminal.prompt)
        terminal.send("echo exit=$?\n")
        try terminal.expect("exit=0")
        #expect(try run(store, "tty/pdb")["status"] as? String == "FINISHED")
    }

    /// Alone, and in a pipeline (the whole job stops, `cat` too, and continues).
    @Test(arguments: ["", " | cat"])
    func ctrlZStopsTheJobAndFgContinuesIt(pipeline: String) throws {
        let store = try CLITestStore()
        let terminal = try PseudoTerminal()
        try terminal.expect(PseudoTerminal.prompt)
        var line = exec(store, "tty/job", python("x = input('fir' + 'st? '); print('got', x)"))
        line.insert(contentsOf: pipeline, at: line.index(before: line.endIndex))
        terminal.send(line)
        try terminal.expect("first? ")
        terminal.send("\u{1A}")
        // The shell saw its job stop and prompts again; cairn itself is stopped, the run goes on.
        try terminal.expect("Stopped")
        try terminal.expect(PseudoTerminal.prompt)
        let stopped = try run(store, "tty/job")
        #expect(stopped["status"] as? String == "RUNNING")
        let cairn = try #require(stopped["pid"] as? Int)
        #expect(state(of: Int32(cairn)) == "T")
        terminal.send("jobs\n")
        try terminal.expect("Stopped")
        try terminal.expect(PseudoTerminal.prompt)

        try resumeAndAnswer(terminal, store, "tty/job")
    }

    @Test func ctrlCGoesToTheCommand() throws {
        let store = try CLITestStore()
        let terminal = try PseudoTerminal()
        try terminal.expect(PseudoTerminal.prompt)
        terminal.send(exec(store, "tty/interrupt", python("x = input('wai' + 'ting? ')")))
        try terminal.expect("waiting? ")
        // Python dies of the SIGINT the terminal sends it (after its traceback). A Ctrl-C typed between
        // its prompt and its read of the terminal only marks the signal until the read ends (Python
        // checks between bytecodes), so type it again, as a user would, until it shows.
        var interrupted = false
        for _ in 0..<10 where !interrupted {
            terminal.send("\u{03}")
            interrupted = terminal.waitFor("KeyboardInterrupt", within: 3) != nil
        }
        #expect(interrupted)
        try terminal.expect(PseudoTerminal.prompt)
        terminal.send("echo exit=$?\n")
        try terminal.expect("exit=130")
        let run = try run(store, "tty/interrupt")
        #expect(run["status"] as? String == "KILLED")
        #expect(run["exit_signal"] as? String == "SIGINT")
    }

    @Test func inTheBackgroundItLeavesTheTerminalToTheShellUntilFg() throws {
        let store = try CLITestStore()
        let terminal = try PseudoTerminal()
        try terminal.expect(PseudoTerminal.prompt)
        var line = exec(store, "tty/background", python("x = input('back' + 'ground? '); print('got', x)"))
        line.insert(contentsOf: " &", at: line.index(before: line.endIndex))
        terminal.send(line)
        // The command stops when it reads the terminal (a job's tty input), and cairn with it (its
        // prompt shows before or, when still in the pipe, after fg).
        try terminal.expect("cairn: run ")
        let cairn = Int32(try #require(try run(store, "tty/background")["pid"] as? Int))
        for _ in 0..<1000 where state(of: cairn) != "T" { usleep(10_000) }
        #expect(state(of: cairn) == "T")
        // The shell still reads the terminal.
        terminal.send("echo still-$((2 + 2))\n")
        try terminal.expect("still-4")
        terminal.send("jobs\n")
        try terminal.expect("Stopped")
        try terminal.expect(PseudoTerminal.prompt)
        try resumeAndAnswer(terminal, store, "tty/background")
    }
}
