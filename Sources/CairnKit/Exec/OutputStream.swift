/// Which of a child's output streams some bytes came from.
public enum OutputStream: String, Sendable {
    case stdout = "out"
    case stderr = "err"
}
