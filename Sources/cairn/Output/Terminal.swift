#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to the terminal: stdout for results, stderr for messages and errors.
enum Terminal {
    static func out(_ text: String) { write(1, text + "\n") }
    static func error(_ text: String) { write(2, "cairn: error: " + text + "\n") }
    static func note(_ text: String) { write(2, "cairn: " + text + "\n") }

    static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        writeBytes(fd, &bytes)
    }

    static func writeBytes(_ fd: Int32, _ bytes: inout [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 { if errno == EINTR { continue }; return }
            offset += n
        }
    }

    /// True when stdout is a terminal (tables then pad for the eye).
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }
}

/// Ends the process with a given exit code without printing anything (after `exec`'s child ends).
struct ProcessExit: Error {
    let code: Int32
}
