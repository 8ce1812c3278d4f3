import CairnKit

/// Writing to the terminal: stdout for results, stderr for messages and errors. A failed write (a
/// closed pipe) is not reported: there is nowhere left to report it.
enum Terminal {
    static func out(_ text: String) { write(1, text + "\n") }
    static func error(_ text: String) { write(2, "cairn: error: " + text + "\n") }
    static func note(_ text: String) { write(2, "cairn: " + text + "\n") }
    static func warning(_ text: String) { write(2, "cairn: warning: " + text + "\n") }

    static func write(_ fd: Int32, _ text: String) { write(fd, Array(text.utf8)) }

    static func write(_ fd: Int32, _ bytes: [UInt8]) { FileDescriptorOutput.writeAll(fd, bytes) }
}

/// Ends the process with a given exit code without printing anything (after `exec`'s child ends).
struct ProcessExit: Error {
    let code: Int32
}
