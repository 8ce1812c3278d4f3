/// Which of a child's output streams some bytes came from: its stdout or its stderr.
public enum OutputChannel: String, Sendable {
    /// Standard output (`out` in a run's log).
    case stdout = "out"
    /// Standard error (`err` in a run's log).
    case stderr = "err"
}
