#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A one-line progress bar on stderr with rate and ETA, drawn only on a terminal and only once an
/// operation has taken more than half a second; redrawn at most ten times a second.
final class ProgressBar: @unchecked Sendable {
    enum Unit { case bytes, count }

    private let label: String
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private let lock = NSLock()

    init(label: String, enabled: Bool = true) {
        self.label = label
        self.enabled = enabled && isatty(2) == 1
    }

    func update(done: Int64, total: Int64, unit: Unit) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let elapsed = now.timeIntervalSince(start)
        guard elapsed > 0.5, now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        drawn = true
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
        guard enabled, drawn else { return }
        Terminal.write(2, "\r\u{1B}[K")
    }
}
