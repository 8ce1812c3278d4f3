import Logging
import Synchronization

/// Keeps every record logged through its loggers, for tests that check what the library reports.
final class LogRecords: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let records = Mutex<[Record]>([])

    /// A logger whose records (every level) end up here.
    var logger: Logger {
        var logger = Logger(label: "cairn-test") { _ in RecordingLogHandler(records: self) }
        logger.logLevel = .trace
        return logger
    }

    var all: [Record] { records.withLock { $0 } }
    var warnings: [Record] { all.filter { $0.level == .warning } }

    fileprivate func append(_ record: Record) { records.withLock { $0.append(record) } }
}

/// The handler behind ``LogRecords/logger``.
private struct RecordingLogHandler: LogHandler {
    let records: LogRecords
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        records.append(.init(level: event.level, message: "\(event.message)",
                             metadata: metadata.merging(event.metadata ?? [:]) { _, new in new }))
    }
}
