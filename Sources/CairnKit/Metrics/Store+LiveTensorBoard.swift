import CairnCore
import CairnFormats

extension Store {
    /// The run tag that turns live TensorBoard event files on: `cairn.tensorboard=live`. Every
    /// ``MetricLogger`` of the run (and every `cairn metric log` call) then appends its points to the
    /// run's live event file as well as to the CSV.
    public static let liveTensorBoardTag = "cairn.tensorboard"
    /// The value of ``liveTensorBoardTag`` that means on.
    public static let liveTensorBoardOn = "live"

    /// Turns live event files on for a run (sets `cairn.tensorboard=live`; nothing is written if it is
    /// already set).
    /// - Parameter run: the run.
    /// - Throws: `CairnError` of kind `.layout` when the run's layout names no event files, or when
    ///   the tags cannot be read or written.
    public func enableLiveTensorBoard(_ run: Run) throws(CairnError) {
        _ = try liveEventFilePath(of: run, n: 0)  // the layout must name event files
        if try liveTensorBoardEnabled(run) { return }
        let location = RunLocation(id: run.id, experimentID: run.record.experimentID, folder: run.folder, layout: run.record.layout)
        try setTags([Self.liveTensorBoardTag: Self.liveTensorBoardOn], on: location)
    }

    /// True when the run has live event files on (its tag `cairn.tensorboard` is `live`).
    /// - Parameter run: the run.
    /// - Returns: whether its metric loggers write its live event file.
    /// - Throws: `CairnError` when `tags.json` cannot be read or parsed.
    public func liveTensorBoardEnabled(_ run: Run) throws(CairnError) -> Bool {
        let path = try runFilePath(run, .tags)
        guard let bytes = try FileSystem.readIfPresent(path) else { return false }
        let tags = try JSONCoding.decode([String: String].self, from: bytes, path: path)
        return tags[Self.liveTensorBoardTag] == Self.liveTensorBoardOn
    }

    /// The path of the run's `n`th live event file: the layout's `events` role, with the run's start
    /// second, host and creating process's pid (so every process logging to the run appends to the
    /// same file); `n` moves on only when a file is damaged beyond a torn tail.
    /// - Parameters:
    ///   - run: the run.
    ///   - n: the file's number, 0 for the first.
    /// - Returns: the path, absolute.
    /// - Throws: `CairnError` of kind `.layout` when the run's layout names no event files.
    public func liveEventFilePath(of run: Run, n: Int) throws(CairnError) -> String {
        try eventFilePath(of: run, time: run.record.startTime.secondsSinceEpoch, host: run.record.host,
                          pid: run.record.pid, n: n)
    }
}
