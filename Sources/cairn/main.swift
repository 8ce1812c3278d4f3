#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import CairnCore

// The CLI owns all output and exit codes: library errors become one line on stderr and exit 1.
// A file-size limit (ulimit -f) makes writes fail with EFBIG, reported as an error, instead of
// killing the process with SIGXFSZ halfway through a save.
signal(SIGXFSZ, SIG_IGN)
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
