#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import CairnCore

// The CLI owns all output and exit codes: library errors become one line on stderr and exit 1.
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
