import Glibc
import ArgumentParser
import CairnCore
import Logging

// The CLI owns all output and exit codes: every error is one line on stderr and a non-zero exit.
// A file-size limit (ulimit -f) makes writes fail with EFBIG, reported as an error, instead of
// killing the process with SIGXFSZ halfway through a save.
signal(SIGXFSZ, SIG_IGN)
// What the library logs (the faults it survives, at warning level) becomes one line on stderr. Stores
// get it through `Logger(label: "cairn")` (StoreOptions.open), created after this bootstrap. The
// server's request log (`cairn serve`, label `cairn.server`) is printed from `info` level.
LoggingSystem.bootstrap { label in WarningLogHandler(threshold: label == "cairn.server" ? .info : .warning) }
/// Help, --version and completion scripts exit 0 and print as ArgumentParser does; a mistake in the
/// arguments is one line, with where to look.
func exitForArgumentParser(_ error: any Error) -> Never {
    guard Cairn.exitCode(for: error) != .success else { Cairn.exit(withError: error) }
    let see = Cairn.fullMessage(for: error).split(separator: "\n").first { $0.contains("See '") }
    let hint = see.map { "; s" + $0.drop { $0 == " " }.dropFirst() } ?? ""
    Terminal.error(Cairn.message(for: error).split(separator: "\n").joined(separator: " ") + hint)
    exit(Cairn.exitCode(for: error).rawValue)
}

// The lookups scripts make in loops skip ArgumentParser when spelled plainly (QuickCommand).
do {
    if try QuickCommand.run(CommandLine.arguments.dropFirst()) {
        OpenedStores.noteChanges()
        exit(0)
    }
} catch {
    OpenedStores.noteChanges()
    Terminal.error(error.description)
    exit(1)
}
var command: any ParsableCommand
do {
    command = try Cairn.parseAsRoot()
} catch {
    exitForArgumentParser(error)
}
// Async commands (those that search the index) run on a task while the main thread waits; sync
// commands run on the main thread as always. After any command, the runs it changed are noted for the
// index of the stores it opened (OpenedStores), also when it failed halfway.
do {
    if let asyncCommand = command as? any AsyncParsableCommand {
        let box = UncheckedBox(asyncCommand)
        try AsyncBridge.wait { try await box.value.run() }
    } else {
        try command.run()
    }
    OpenedStores.noteChanges()
} catch let error as CairnError {
    OpenedStores.noteChanges()
    Terminal.error(error.description)
    exit(1)
} catch let exitCode as ProcessExit {
    OpenedStores.noteChanges()
    exit(exitCode.code)
} catch {
    OpenedStores.noteChanges()
    exitForArgumentParser(error)
}
