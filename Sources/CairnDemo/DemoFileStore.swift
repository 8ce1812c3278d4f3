import CairnCore
import CairnKit

/// The demo's MLflow step: the runs written as the file store a script using `mlflow` with
/// `MLFLOW_ALLOW_FILE_STORE=true` leaves (`mlruns/<experiment id>/meta.yaml`,
/// `mlruns/<experiment id>/<run id>/{meta.yaml, params/, tags/, metrics/}`, keys `SPLIT/KEY` but for
/// train's), then adopted in place with `auto`: MLflow's ids, names and params are the runs', and every
/// metric point is read back from MLflow's files; then migrated into Cairn's own folders and read again.
public enum DemoFileStore {
    /// What the step did.
    public struct Outcome: Sendable {
        /// The `mlruns/` folder, adopted in the `mlflow` layout; the store is the folder holding it.
        public var tree: String
        /// What adopting it found.
        public var adopted: AdoptReport
        /// The experiment's MLflow id and the name the store gives it (its `meta.yaml`'s).
        public var experimentID: String
        public var experimentName: String
        /// Runs whose id, name or params read back differ from what was written.
        public var runMismatches: Int
        /// Points written to the metric files, and read back from the adopted runs.
        public var written: Int
        public var read: Int
        /// Points read back whose step, value or time (to the millisecond) differs from the one logged.
        public var mismatches: Int
        /// The file store migrated to Cairn's own folders (layout `cairn+mlflow`).
        public var migration: MigrationReport
        /// Runs and points read back after the migration that differ from those before it.
        public var mismatchesAfterMigration: Int
    }

    /// Writes the file store in a new folder under the demo store, adopts it and reads every run back.
    static func showcase(store: Store, runs: [DemoRunResult]) throws(CairnError) -> Outcome {
        var random = SystemRandomNumberGenerator()
        // The store's records go beside mlruns/, in the folder that holds it (MLflow reads every folder of
        // mlruns/ as an experiment).
        let holder = store.root + "/imported/mlflow-\(String(random.next() % 0xFFFF_FFFF, radix: 36))"
        let tree = holder + "/mlruns"
        // MLflow's experiment ids are long random numbers, its run ids 32 hexadecimal digits.
        let experimentID = String(100_000_000_000_000_000 + random.next() % 800_000_000_000_000_000)
        let created = runs.first?.run.record.startTime.millisecondsSinceEpoch ?? 0
        try DemoFiles.makeDirectories(tree + "/" + experimentID)
        try DemoFiles.write(Self.yaml([("artifact_location", "file://\(tree)/\(experimentID)"), ("creation_time", "\(created)"),
                                       ("experiment_id", "'\(experimentID)'"), ("last_update_time", "\(created)"),
                                       ("lifecycle_stage", "active"), ("name", Demo.experimentName)]),
                            to: tree + "/\(experimentID)/meta.yaml")
        var written: [String: (name: String, params: [String: String], points: [MetricPoint])] = [:]
        for result in runs {
            let runID = (0..<32).map { _ in String(random.next() % 16, radix: 16) }.joined()
            let folder = tree + "/\(experimentID)/\(runID)"
            let record = result.run.record
            try DemoFiles.makeDirectories(folder + "/artifacts")
            try DemoFiles.write(Self.yaml([("artifact_uri", "file://\(folder)/artifacts"), ("end_time", record.endTime.map { "\($0.millisecondsSinceEpoch)" } ?? "null"),
                                           ("entry_point_name", "''"), ("experiment_id", "'\(experimentID)'"), ("lifecycle_stage", "active"),
                                           ("run_id", runID), ("run_name", result.setting.name), ("source_name", "''"), ("source_type", "4"),
                                           ("source_version", "''"), ("start_time", "\(record.startTime.millisecondsSinceEpoch)"), ("status", "3"),
                                           ("tags", "[]"), ("user_id", record.user.isEmpty ? "demo" : record.user)]),
                                to: folder + "/meta.yaml")
            let params = try store.params(of: result.run)
            try Self.writeValues(params, in: folder + "/params")
            try Self.writeValues(["mlflow.runName": result.setting.name], in: folder + "/tags")
            var points: [MetricPoint] = []
            for split in try store.metricSplits(of: result.run) {
                var lines: [String: String] = [:]
                for point in try store.metrics(of: result.run, split: split) {
                    let key = split == MetricName.defaultSplit ? point.key : split + "/" + point.key
                    let time = Int64(((point.time ?? record.startTime.secondsSinceEpoch) * 1000).rounded())
                    lines[key, default: ""] += "\(time) \(point.value) \(point.step)\n"
                    points.append(MetricPoint(key: key, value: point.value, step: point.step, time: Double(time) / 1000))
                }
                for (key, text) in lines {
                    let file = folder + "/metrics/" + key
                    try DemoFiles.makeDirectories(String(file[..<(file.lastIndex(of: "/") ?? file.endIndex)]))
                    try DemoFiles.write(text, to: file)
                }
            }
            written[runID] = (result.setting.name, params, points)
        }
        let adopted = try Store.adopt(AdoptRequest(tree: tree))
        let read = try readBack(try Store.open(at: holder), written: written, experimentID: experimentID)
        // Then into Cairn's own folders (the layout cairn+mlflow: MLflow's files move with their run,
        // unchanged, and are still read), and every value read again.
        let migrated = try Store.open(at: holder).migrate(to: BuiltinLayouts.cairn.name, mapping: FieldMapping(), dryRun: false)
        let again = try readBack(try Store.open(at: holder), written: written, experimentID: experimentID)
        return Outcome(tree: tree, adopted: adopted, experimentID: experimentID, experimentName: read.experimentName,
                       runMismatches: read.runMismatches, written: written.values.reduce(0) { $0 + $1.points.count }, read: read.points,
                       mismatches: read.mismatches, migration: migrated,
                       mismatchesAfterMigration: again.runMismatches + again.mismatches + abs(again.points - read.points))
    }

    /// Every run of the adopted store read back against what was written: runs whose id, name or params
    /// differ (or are missing), points read, and points whose step, value or time differs.
    private static func readBack(_ fileStore: Store, written: [String: (name: String, params: [String: String], points: [MetricPoint])],
                                 experimentID: String) throws(CairnError) -> (experimentName: String, runMismatches: Int, points: Int, mismatches: Int) {
        var runMismatches = 0, read = 0, mismatches = 0
        var experimentName = ""
        let runs = try fileStore.runs()
        for summary in runs {
            experimentName = summary.run.record.experiment
            guard let expected = written[summary.run.id.value] else {
                runMismatches += 1
                continue
            }
            let params = try fileStore.params(of: summary.run)
            if summary.run.record.name != expected.name || summary.run.record.experimentID.description != experimentID || params != expected.params {
                runMismatches += 1
            }
            var back: [MetricPoint] = []
            for split in try fileStore.metricSplits(of: summary.run) {
                for point in try fileStore.metrics(of: summary.run, split: split) {
                    var named = point
                    named.key = split == MetricName.defaultSplit ? point.key : split + "/" + point.key
                    back.append(named)
                }
            }
            read += back.count
            let byKey = Dictionary(grouping: back, by: \.key)
            for (key, logged) in Dictionary(grouping: expected.points, by: \.key) {
                let found = byKey[key] ?? []
                mismatches += abs(found.count - logged.count)
                for (a, b) in zip(found, logged) where a.step != b.step || (a.value != b.value && !(a.value.isNaN && b.value.isNaN))
                    || abs((a.time ?? 0) - (b.time ?? 0)) > 0.0005 {
                    mismatches += 1
                }
            }
        }
        runMismatches += abs(written.count - runs.count)
        return (experimentName, runMismatches, read, mismatches)
    }

    /// A `meta.yaml` of `key: value` lines, in the order given.
    static func yaml(_ fields: [(String, String)]) -> String {
        fields.map { "\($0.0): \($0.1)\n" }.joined()
    }

    /// One file per value, named by its key (a `/` in a key nests folders), holding the value exactly.
    static func writeValues(_ values: [String: String], in folder: String) throws(CairnError) {
        for (key, value) in values {
            let file = folder + "/" + key
            try DemoFiles.makeDirectories(String(file[..<(file.lastIndex(of: "/") ?? file.endIndex)]))
            try DemoFiles.write(value, to: file)
        }
    }
}
