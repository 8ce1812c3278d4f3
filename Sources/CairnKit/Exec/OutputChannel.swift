/// Which of a child's output streams some bytes came from: its stdout or its stderr.
public enum OutputChannel: String, Sendable {
    case stdout = "out"
    case stderr = "err"
}
