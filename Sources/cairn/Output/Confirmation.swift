import Foundation
import Glibc

/// Asking before a change that hides or removes runs, on a terminal only.
enum Confirmation {
    /// True when stdin is a terminal (a person may answer).
    static var canAsk: Bool { isatty(0) == 1 }

    /// Asks `question` on stderr and reads one line from stdin: true for `y` or `yes`.
    static func ask(_ question: String) -> Bool {
        Terminal.write(2, "cairn: \(question) [y/N] ")
        guard let line = readLine() else { return false }
        return ["y", "yes"].contains(line.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
