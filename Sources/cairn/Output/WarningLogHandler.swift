import CairnKit
import Logging

/// Prints what the library logs at `warning` level or above as one line on stderr,
/// `cairn: warning: MESSAGE [key=value …]`: the record's metadata is appended, except values the
/// message already shows (the library's messages name their path and run). Below `warning` (or the
/// threshold given: `info` for the server's request log), nothing.
struct WarningLogHandler: LogHandler {
    var logLevel: Logger.Level
    let threshold: Logger.Level

    init(threshold: Logger.Level = .warning) {
        self.threshold = threshold
        logLevel = threshold
    }
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard event.level >= threshold else { return }
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let own = event.metadata { all.merge(own) { _, new in new } }
        FileDescriptorOutput.writeAll(2, Array(Self.line(event.level, "\(event.message)", all).utf8))
    }

    /// The record as one line, newline included.
    static func line(_ level: Logger.Level, _ message: String, _ metadata: Logger.Metadata) -> String {
        let label = level == .warning ? "warning" : level.rawValue
        var text = "cairn: \(label): " + oneLine(message)
        let extra = metadata.sorted { $0.key < $1.key }.map { ($0.key, oneLine("\($0.value)")) }
            .filter { !$0.1.isEmpty && !message.contains($0.1) }
        if !extra.isEmpty { text += " [" + extra.map { "\($0.0)=\($0.1)" }.joined(separator: " ") + "]" }
        return text + "\n"
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
