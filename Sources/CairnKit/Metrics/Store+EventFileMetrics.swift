import CairnCore
import CairnFormats
import Logging

extension Store {
    /// The metrics of an adopted run that has no metrics CSV but TensorBoard event files (SuperGradients
    /// run folders, a Lightning run without its CSV logger) or its tool's metrics files (Sacred's
    /// `metrics.json`, MLflow's `metrics/<key>`): the scalars of every such file its layout names, read on use (the tree is never
    /// written), by split. A tag `S/K` whose `S` is `eval`, `val`,
    /// `valid`, `validation` or `test` is key `K` of split `S`; any other tag is a key of split `train`.
    /// - Parameter run: the run.
    /// - Returns: the points of each split, each file's in the order written, files by name.
    /// - Throws: `CairnError` when the run folder cannot be read. A damaged event file gives what comes
    ///   before the damage (and a warning).
    func eventFileMetrics(of run: Run) throws(CairnError) -> [String: [MetricPoint]] {
        var files: [String] = []
        return try eventFileMetrics(of: run, files: &files)
    }

    /// ``eventFileMetrics(of:)``, adding the absolute path of each event file read to `files`.
    func eventFileMetrics(of run: Run, files: inout [String]) throws(CairnError) -> [String: [MetricPoint]] {
        let runLayout = settings.layout(named: run.record.layout) ?? layout
        guard runLayout.template(.events) != nil || runLayout.tool != nil else { return [:] }
        let listing = try TreeWalker.walk(run.absoluteFolder)
        var out: [String: [MetricPoint]] = [:]
        if runLayout.tool == .sacred {
            for path in listing.files.sorted() where runLayout.match(.toolMetrics, path) != nil {
                let file = Paths.join(run.absoluteFolder, path)
                files.append(file)
                do throws(CairnError) {
                    let read = try SacredMetricsFile.read(file)
                    for problem in read.problems {
                        logger.warning("\(problem); its other points are read", metadata: ["path": "\(file)", "run_id": "\(run.id)"])
                    }
                    Self.add(read.points, to: &out)
                } catch {
                    logger.warning("\(error.message); the run's metrics from it are not read", metadata: ["path": "\(file)", "run_id": "\(run.id)"])
                }
            }
        }
        if runLayout.tool == .mlflow {
            for path in listing.files.sorted() where path.hasPrefix("metrics/") && runLayout.match(.toolMetrics, path) != nil {
                let file = Paths.join(run.absoluteFolder, path)
                files.append(file)
                let read = MLflowMetricFile.points(of: try FileSystem.read(file), key: String(path.dropFirst("metrics/".count)), path: file)
                for problem in read.problems {
                    logger.warning("\(problem); its other points are read", metadata: ["path": "\(file)", "run_id": "\(run.id)"])
                }
                Self.add(read.points, to: &out)
            }
        }
        for path in listing.files.sorted() where runLayout.match(.events, path) != nil {
            let file = Paths.join(run.absoluteFolder, path)
            files.append(file)
            let read = EventFileReader.read(bytes: try FileSystem.read(file))
            if let damage = read.damage {
                logger.warning("the event file '\(file)' is damaged at byte \(damage.offset) (\(damage.problem.description)); its scalars before that are read",
                               metadata: ["path": "\(file)", "run_id": "\(run.id)"])
            }
            for tag in read.tags {
                let (split, key) = Self.split(ofTag: tag)
                for scalar in read.scalars[tag] ?? [] {
                    out[split, default: []].append(MetricPoint(key: key, value: scalar.value, step: scalar.step, time: scalar.wallTime))
                }
            }
        }
        return out
    }

    /// Adds points named `S/K` or `K` to their splits, each named `K`.
    static func add(_ points: [MetricPoint], to splits: inout [String: [MetricPoint]]) {
        for point in points {
            let (split, key) = Self.split(ofTag: point.key)
            var named = point
            named.key = key
            splits[split, default: []].append(named)
        }
    }

    /// The split and key of a metric named `S/K` or `K` (MLflow's and TensorBoard's names).
    static func split(ofTag tag: String) -> (split: String, key: String) {
        guard let slash = tag.firstIndex(of: "/") else { return ("train", tag) }
        let split = String(tag[..<slash])
        let key = String(tag[tag.index(after: slash)...])
        guard ["eval", "val", "valid", "validation", "test"].contains(split), !key.isEmpty else { return ("train", tag) }
        return (split, key)
    }
}
