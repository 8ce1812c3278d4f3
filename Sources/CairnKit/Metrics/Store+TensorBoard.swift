import Glibc
import CairnCore
import CairnFormats

extension Store {
    /// The path of a run's TensorBoard event file, from the layout's `events` role.
    func eventFilePath(of run: Run, time: Double, host: String = HostInfo.hostName, pid: Int32 = getpid(),
                       n: Int = 0) throws(CairnError) -> String {
        let runLayout = settings.layout(named: run.record.layout) ?? layout
        guard runLayout.template(.events) != nil else {
            throw CairnError(.layout, "the layout '\(runLayout.name)' names no TensorBoard event files",
                             hint: "add an 'events' template to the layout in cairn.yaml")
        }
        let experiment = try experiment(id: run.record.experimentID)
        var fields = try runFields(experiment: experiment, id: run.id, name: run.record.name, start: run.record.startTime,
                                   extra: [:], layout: runLayout)
        fields["time"] = .int(Int(time))
        fields["host"] = .string(host)
        fields["pid"] = .int(Int(pid))
        fields["n"] = .int(n)
        return Paths.join(run.absoluteFolder, try runLayout.render(.events, fields))
    }

    /// Writes every metric of a run (all splits) to a new TensorBoard event file, tags `SPLIT/KEY`.
    /// The file gets a name no existing file has, and never one of the run's live event files.
    /// - Parameter run: the run.
    /// - Returns: the file's path and the number of scalars written.
    /// - Throws: `CairnError` of kind `.layout` when the run's layout names no event files; when a
    ///   metrics file cannot be read or the event file cannot be written.
    public func exportTensorBoard(_ run: Run) throws(CairnError) -> CairnAPI.TensorBoardExport {
        var points: [MetricPoint] = []
        for split in try metricSplits(of: run) {
            for point in try metrics(of: run, split: split) {
                var tagged = point
                tagged.key = split + "/" + point.key
                points.append(tagged)
            }
        }
        let start = run.record.startTime.secondsSinceEpoch
        var writer = EventFileWriter(wallTime: start, capacity: points.count * 48 + 64)
        writer.appendScalars(points, wallTimeIfMissing: start)
        // A new name: never an existing file, nor one of the run's live event files (named from the
        // run's start second, host and pid), which live loggers may append to later.
        var time = clock.now().secondsSinceEpoch
        if Int(time) == Int(start), HostInfo.hostName == run.record.host, getpid() == run.record.pid { time += 1 }
        var n = 0
        var path = try eventFilePath(of: run, time: time, n: n)
        while FileSystem.exists(path) {
            n += 1
            path = try eventFilePath(of: run, time: time, n: n)
        }
        try FileSystem.makeDirectories(Paths.parent(path))
        try AtomicFile.write(writer.bytes, to: path)
        return CairnAPI.TensorBoardExport(run: run.id, path: path, scalars: points.count)
    }

    /// Reads the scalars of any TensorBoard event file into a run's metrics (split `split`, keys =
    /// tags). A truncated or corrupted file is read up to the damage, which is reported.
    /// - Parameters:
    ///   - file: the event file (relative paths are taken from the current folder).
    ///   - run: the run.
    ///   - split: the split to file the scalars under.
    /// - Returns: the scalars imported by tag, the summaries skipped, and where the file is damaged.
    /// - Throws: `CairnError` when the file cannot be read, the split name is invalid, or the metrics
    ///   cannot be written.
    public func importTensorBoard(_ file: String, into run: Run, split: String) throws(CairnError) -> CairnAPI.TensorBoardImport {
        let file = Paths.absolute(file)
        let read = EventFileReader.read(bytes: try FileSystem.read(file))
        let logger = MetricLogger(store: self, run: run)
        var counts: [String: Int] = [:]
        for tag in read.tags {
            let scalars = read.scalars[tag] ?? []
            try logger.log(scalars.map { MetricPoint(key: tag, value: $0.value, step: $0.step, time: $0.wallTime) }, split: split)
            counts[tag] = scalars.count
        }
        try logger.close()
        let damage = read.damage.map { CairnAPI.TensorBoardImport.Damage(offset: $0.offset, record: $0.recordIndex, problem: $0.problem.description) }
        return CairnAPI.TensorBoardImport(run: run.id, file: file, split: split, points: counts, skipped: read.skipped, damage: damage)
    }
}
