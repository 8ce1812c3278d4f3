import CairnCore

/// A run's log (`logs/training.log` in most layouts), opened by code that trains inside the process
/// rather than under `cairn exec`: each appended line is written as `cairn exec` writes its command's
/// standard output, `2026-11-23T03:40:11.482Z out text`. Safe to use from several threads.
public struct RunLog: Sendable {
    private let writer: RunLogWriter
    private let clock: any WallClock

    /// Opens the log of `run` for appending, creating the file and its folder if needed.
    /// - Parameters:
    ///   - store: the store `run` belongs to.
    ///   - run: the run whose log to open; its layout names the file.
    /// - Throws: `CairnError` when the run's layout names no log file, or when the file or its folder
    ///   cannot be created or opened (the error names the path).
    public init(store: Store, run: Run) throws(CairnError) {
        writer = try RunLogWriter(path: try store.runFilePath(run, .log))
        clock = store.clock
    }

    /// Appends one line as the run's standard output. Like the lines `cairn exec` captures, the log is
    /// best effort: a failed write is not reported and does not stop training.
    /// - Parameters:
    ///   - line: the text, without its newline.
    ///   - time: the time the line is stamped with (default: now, by the store's clock).
    public func append(_ line: String, at time: Timestamp? = nil) {
        writer.write([Array(line.utf8)], stream: .stdout, at: time ?? clock.now())
    }

    /// Flushes what was appended to the disk (`fsync`).
    public func sync() { writer.sync() }
}
