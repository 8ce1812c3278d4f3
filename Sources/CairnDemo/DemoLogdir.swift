import CairnCore
import CairnFormats
import CairnKit

/// The demo's TensorBoard step: the runs' metrics written as the logdir a script using tensorboardX's
/// or PyTorch's `SummaryWriter()` leaves (`runs/<Mon>DD_HH-MM-SS_<setting>/events.out.tfevents.<secs>.<host>`,
/// tags `SPLIT/KEY`), then adopted in place with `auto`: every folder of event files becomes a run, and
/// its scalars are read back and compared with the points the runs logged.
public enum DemoLogdir {
    /// What the step did.
    public struct Outcome: Sendable {
        /// The logdir's parent folder, now an adopted store in the `tensorboard` layout.
        public var tree: String
        /// What adopting it found.
        public var adopted: AdoptReport
        /// Points written to the event files, and read back from the adopted runs.
        public var written: Int
        public var read: Int
        /// Points read back whose step or value differs from the one logged (the event files hold
        /// float32 values, compared as such).
        public var mismatches: Int
    }

    /// Writes the logdir in a new folder under the demo store, adopts it and reads every run's metrics back.
    static func showcase(store: Store, runs: [DemoRunResult]) throws(CairnError) -> Outcome {
        var random = SystemRandomNumberGenerator()
        let tree = store.root + "/imported/logdir-\(String(random.next() % 0xFFFF_FFFF, radix: 36))"
        var logged: [String: [MetricPoint]] = [:]
        for result in runs {
            var points: [MetricPoint] = []
            for split in try store.metricSplits(of: result.run) {
                for point in try store.metrics(of: result.run, split: split) {
                    var tagged = point
                    tagged.key = split + "/" + point.key
                    points.append(tagged)
                }
            }
            let start = result.run.record.startTime
            let folder = "runs/" + Self.folderName(start: start, setting: result.setting.name)
            var writer = EventFileWriter(wallTime: start.secondsSinceEpoch, capacity: points.count * 48 + 64)
            writer.appendScalars(points, wallTimeIfMissing: start.secondsSinceEpoch)
            try DemoFiles.makeDirectories(tree + "/" + folder)
            try DemoFiles.save(writer.bytes, to: tree + "/\(folder)/events.out.tfevents.\(Int(start.secondsSinceEpoch)).demo")
            logged[folder] = points
        }
        let adopted = try Store.adopt(AdoptRequest(tree: tree))
        let logdir = try Store.open(at: tree)
        var read = 0, mismatches = 0
        for summary in try logdir.runs() {
            let points = logged[summary.run.folder] ?? []
            var back: [MetricPoint] = []
            for split in try logdir.metricSplits(of: summary.run) {
                for point in try logdir.metrics(of: summary.run, split: split) {
                    var tagged = point
                    // The MLflow rule reads a tag `train/KEY` as the key `train/KEY` of split train.
                    tagged.key = split == MetricName.defaultSplit && point.key.hasPrefix(split + "/") ? point.key : split + "/" + point.key
                    back.append(tagged)
                }
            }
            read += back.count
            let byTag = Dictionary(grouping: back, by: \.key)
            for (tag, expected) in Dictionary(grouping: points, by: \.key) {
                let found = byTag[tag] ?? []
                mismatches += abs(found.count - expected.count)
                for (a, b) in zip(found, expected) where a.step != b.step || a.value != Double(Float(b.value)) && !(a.value.isNaN && b.value.isNaN) {
                    mismatches += 1
                }
            }
        }
        return Outcome(tree: tree, adopted: adopted, written: logged.values.reduce(0) { $0 + $1.count }, read: read, mismatches: mismatches)
    }

    /// The folder name `SummaryWriter()` gives a logdir (`Dec05_12-47-38_<host>`), the setting for the host.
    static func folderName(start: Timestamp, setting: String) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let t = start.utcFields
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(months[t.month - 1])\(two(t.day))_\(two(t.hour))-\(two(t.minute))-\(two(t.second))_\(setting)"
    }
}
