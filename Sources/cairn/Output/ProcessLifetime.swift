/// Values kept until the process exits: a result that holds every file of a tree (an adoption's
/// report) costs about 10 ms to free object by object, which the exit right after does at once.
enum ProcessLifetime {
    /// Keeps `value` alive until the process exits.
    static func keep<Value>(_ value: Value) {
        _ = Unmanaged.passRetained(Box(value))
    }

    private final class Box<Value> {
        let value: Value
        init(_ value: Value) { self.value = value }
    }
}
