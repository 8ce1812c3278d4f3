import CairnCore
import CairnKit
import Synchronization

/// A wall clock that stands still until a test moves it.
final class ManualWallClock: WallClock {
    private let milliseconds: Mutex<Int64>

    init(_ start: Timestamp) { milliseconds = Mutex(start.millisecondsSinceEpoch) }

    func now() -> Timestamp { Timestamp(millisecondsSinceEpoch: milliseconds.withLock { $0 }) }

    /// Moves the clock on by `seconds` (whole milliseconds).
    func advance(seconds: Double) {
        milliseconds.withLock { $0 += Int64((seconds * 1000).rounded()) }
    }
}
