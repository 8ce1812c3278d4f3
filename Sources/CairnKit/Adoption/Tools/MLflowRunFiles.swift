import CairnCore
import CairnFormats

/// What MLflow's file store keeps of a run beside its metrics: `meta.yaml` (name, status, start and
/// end time, user, lifecycle stage) and one file per param and per tag (`params/<key>`,
/// `tags/<key>`; a `/` in a key nests folders), each file holding the value exactly, with no newline.
/// Every field is optional: a `meta.yaml` cut short gives what it holds.
struct MLflowRunFiles: Equatable {
    var name: String?
    var status: RunStatus?
    var start: Timestamp?
    var end: Timestamp?
    var user: String?
    var deleted = false
    var deletedAt: Timestamp?
    var params: [String: String] = [:]
    var tags: [String: String] = [:]

    /// MLflow's run statuses, by the number its file store writes (and by name, as older versions did).
    static let statuses: [Int64: RunStatus] = [1: .running, 2: .scheduled, 3: .finished, 4: .failed, 5: .killed]

    /// The largest param or tag file read (MLflow's own limits are a few thousand characters).
    static let maxValueBytes: Int64 = 1 << 20

    /// Reads the files of a run that the layout's `tool_record` names.
    /// - Parameters:
    ///   - files: the run's `tool_record` files, relative to the run folder (`meta.yaml`,
    ///     `params/<key>`, `tags/<key>`).
    ///   - runFolder: the run folder's absolute path.
    /// - Returns: what they say, and one line per file that could not be read (`file:line:column` for
    ///   a `meta.yaml` that is not YAML).
    static func read(_ files: [String], runFolder: String) -> (files: MLflowRunFiles, problems: [String]) {
        var read = MLflowRunFiles()
        var problems: [String] = []
        for path in files.sorted() {
            let absolute = Paths.join(runFolder, path)
            do throws(CairnError) {
                if path == "meta.yaml" {
                    read.take(try ConfigFile.parse(try FileSystem.readText(absolute), fileName: absolute))
                } else if path.hasPrefix("params/") || path.hasPrefix("tags/") {
                    guard let size = FileSystem.fileSize(absolute), size <= maxValueBytes else {
                        problems.append("\(absolute): larger than \(maxValueBytes) bytes, not read as a value")
                        continue
                    }
                    let value = try FileSystem.readText(absolute)
                    if path.hasPrefix("params/") {
                        read.params[String(path.dropFirst("params/".count))] = value
                    } else {
                        read.tags[String(path.dropFirst("tags/".count))] = value
                    }
                }
            } catch {
                problems.append(error.message)
            }
        }
        return (read, problems)
    }

    /// Takes the fields of a parsed `meta.yaml`.
    mutating func take(_ value: ConfigValue) {
        func text(_ key: String) -> String? {
            if case .string(let s)? = value.value(at: [key]) { return s }
            return nil
        }
        func milliseconds(_ key: String) -> Timestamp? {
            switch value.value(at: [key]) {
            case .int(let n)?: Timestamp(millisecondsSinceEpoch: n)
            case .float(let x)? where x.isFinite: Timestamp(millisecondsSinceEpoch: Int64(x))
            default: nil
            }
        }
        name = text("run_name").flatMap { $0.isEmpty ? nil : $0 }
        switch value.value(at: ["status"]) {
        case .int(let n)?: status = Self.statuses[n]
        case .string(let s)?: status = RunStatus(rawValue: s)
        default: break
        }
        start = milliseconds("start_time")
        end = milliseconds("end_time")
        user = text("user_id")
        deleted = text("lifecycle_stage") == "deleted"
        deletedAt = milliseconds("deleted_time")
    }

    /// Puts what `meta.yaml` says into a run's record: its name, status, start and end, user.
    func apply(to record: inout RunRecord) {
        if let name, let cairnName = MLflowRunName.cairnName(for: name) { record.name = cairnName }
        record.takeToolLife(status: status, start: start, end: end)
        if let user { record.user = user }
    }

    /// Puts what the files say into an adopted run: its record (name, status, times, user), its params
    /// and tags (MLflow's `mlflow.*` tags included), and its registry entry (deleted or not).
    func apply(to adopted: inout AdoptedRun) {
        apply(to: &adopted.record)
        if let name, tags["mlflow.runName"] == nil { adopted.tags["mlflow.runName"] = name }
        if let source = tags["mlflow.source.name"], !source.isEmpty { adopted.record.command = [source] }
        if deleted {
            adopted.location.lifecycleStage = "deleted"
            adopted.location.deletedAt = deletedAt ?? end ?? start
        }
        adopted.params.merge(params) { _, new in new }
        adopted.tags.merge(tags) { _, new in new }
    }
}
