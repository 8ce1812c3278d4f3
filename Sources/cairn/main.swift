#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import CairnCore
import Logging

// The CLI owns all output and exit codes: library errors become one line on stderr and exit 1.
// A file-size limit (ulimit -f) makes writes fail with EFBIG, reported as an error, instead of
// killing the process with SIGXFSZ halfway through a save.
signal(SIGXFSZ, SIG_IGN)
// What the library logs (the faults it survives, at warning level) becomes one line on stderr. Stores
// get it through `Logger(label: "cairn")` (StoreOptions.open), created after this bootstrap.
LoggingSystem.bootstrap { _ in WarningLogHandler() }
do {
    var command = try Cairn.parseAsRoot()
    try command.run()
} catch let error as CairnError {
    Terminal.error(error.description)
    exit(1)
} catch let exitCode as ProcessExit {
    exit(exitCode.code)
} catch {
    Cairn.exit(withError: error)
}
