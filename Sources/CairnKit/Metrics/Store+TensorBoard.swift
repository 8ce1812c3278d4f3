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

    /// Writes every metric of a run (all splits, read from its CSVs) to the run's event file, tags
    /// `SPLIT/KEY`, so that TensorBoard reads each point once however often this is done.
    ///
    /// The run's event file is its live event file (``liveEventFilePath(of:n:)`` with `n` 0): it is
    /// replaced in one rename by a file rebuilt from the CSVs, and the live files after it (written when
    /// a file was damaged) are removed, so the run has exactly one event file of Cairn's. Event files other
    /// programs wrote into the folder are left alone. Live loggers that append later extend that file.
    /// - Parameter run: the run.
    /// - Returns: the file's path and the number of scalars written.
    /// - Throws: `CairnError` of kind `.busy` when the run is RUNNING (its owner alive, or not known to
    ///   be dead), has live event files on (``liveTensorBoardEnabled(_:)``) and has a live event file; of kind `.layout` when the run's
    ///   layout names no event files; when a metrics file cannot be read or the event file cannot be written.
    public func exportTensorBoard(_ run: Run) throws(CairnError) -> CairnAPI.TensorBoardExport {
        let path = try liveEventFilePath(of: run, n: 0)
        var live: [String] = []
        while FileSystem.exists(try liveEventFilePath(of: run, n: live.count)) { live.append(try liveEventFilePath(of: run, n: live.count)) }
        if !live.isEmpty, run.record.status == .running, liveness(of: run.record) != .ownerDead, try liveTensorBoardEnabled(run) {
            throw CairnError(.busy, "run \(run.id) is RUNNING and its live event file '\(live[live.count - 1])' is being written; "
                                + "TensorBoard reads its metrics there already",
                             hint: "export after the run ends (or once 'cairn run show \(run.id)' says its owner is dead)")
        }
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
        try FileSystem.makeDirectories(Paths.parent(path))
        // Staged under a name without "tfevents": TensorBoard reads every file whose name holds it, so a
        // temporary left by a crash must not be one (it would show the points twice).
        let staging = Paths.join(Paths.parent(path), AtomicFile.temporaryPrefix + "tb-export-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try AtomicFile.write(writer.bytes, to: staging)
        if rename(staging, path) != 0 {
            let code = errno
            FileSystem.remove(staging)
            throw SystemError.make("replace", path: path, errno: code)
        }
        FileSystem.syncDirectory(Paths.parent(path))
        for extra in live.dropFirst() { FileSystem.remove(extra) }
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
