import CairnCore

/// The record of an adopted run that another tool was still running when it was adopted (Sacred's
/// `RUNNING`, MLflow's status 1), read again from that tool's own record each time the run is read,
/// so that the run ends in Cairn when it ends in the tool.
enum ToolRunRecord {
    /// The tool's record file of a run, relative to its folder (`run.json`, `meta.yaml`), for tools
    /// that record a run's status; nil for the others.
    static func statusFile(_ layout: Layout) -> String? {
        switch layout.tool {
        case .sacred?: layout.template(.toolRecord)?.text
        case .mlflow?: "meta.yaml"
        case .hydra?, nil: nil
        }
    }

    /// Updates `record` (status, times, and what else the tool records of the run) from the tool's
    /// record in `runFolder`; a record that cannot be read leaves it as it is.
    static func refresh(_ record: inout RunRecord, layout: Layout, runFolder: String) {
        guard let file = statusFile(layout) else { return }
        switch layout.tool {
        case .sacred?:
            guard let read = try? SacredRunFile.read(Paths.join(runFolder, file)) else { return }
            var tags: [String: String] = [:]
            read.apply(to: &record, tags: &tags)
        case .mlflow?:
            MLflowRunFiles.read([file], runFolder: runFolder).files.apply(to: &record)
        case .hydra?, nil:
            return
        }
    }
}
