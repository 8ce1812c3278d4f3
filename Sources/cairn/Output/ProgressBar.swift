import Glibc
import Foundation
import Synchronization

/// A one-line progress bar on stderr with rate and ETA, drawn only on a terminal and only once an
/// operation has taken more than half a second; redrawn at most ten times a second. Safe to update
/// from any thread.
final class ProgressBar: Sendable {
    enum Unit { case bytes, count }

    private struct State {
        var lastDraw: ContinuousClock.Instant?
        var drawn = false
    }

    private let label: String
    private let enabled: Bool
    private let start = ContinuousClock.now
    private let state = Mutex(State())

    init(label: String, enabled: Bool = true) {
        self.label = label
        self.enabled = enabled && isatty(2) == 1
    }

    func update(done: Int64, total: Int64, unit: Unit) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let elapsed = Self.seconds(start.duration(to: now))
        let due = state.withLock { state -> Bool in
            guard elapsed > 0.5, state.lastDraw.map({ Self.seconds($0.duration(to: now)) >= 0.1 }) ?? true else { return false }
            state.lastDraw = now
            state.drawn = true
            return true
        }
        guard due else { return }
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let rate = Double(done) / elapsed
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let amount = unit == .bytes ? "\(Formatting.bytes(done))/\(Formatting.bytes(total)) \(Formatting.bytes(Int64(rate)))/s"
                                    : "\(done)/\(total) \(String(format: "%.1f", rate))/s"
        Terminal.write(2, "\r\(label) \(bar) \(Int(fraction * 100))% \(amount) ETA \(Formatting.duration(eta))\u{1B}[K")
    }

    func finish() {
        guard enabled, state.withLock({ $0.drawn }) else { return }
        Terminal.write(2, "\r\u{1B}[K")
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
