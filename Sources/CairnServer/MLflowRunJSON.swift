import CairnCore

/// Runs as MLflow's REST API shows them (`{"info": …, "data": …, "inputs": {}, "outputs": {}}`),
/// written with ``JSONWriter``.
///
/// The run's name is its `mlflow.runName` tag when it has one (MLflow's names may hold what Cairn's
/// do not: a `/`), else its Cairn name, else its id; its user is the `mlflow.user` tag, else the user
/// who made it. Each metric is shown by its value at its highest step, named as MLflow reads it back
/// (``MLflowMetricKey``).
enum MLflowRunJSON {
    static let runNameTag = "mlflow.runName"
    static let userTag = "mlflow.user"

    /// `mlflow-artifacts:/<experiment id>/<run id>/artifacts`: what the client uploads to, through the
    /// server's artifact proxy.
    static func artifactURI(_ record: RunRecord) -> String {
        "mlflow-artifacts:/\(record.experimentID)/\(record.id)/artifacts"
    }

    static func name(_ record: RunRecord, tags: [String: String]) -> String {
        tags[runNameTag] ?? record.name ?? record.id.value
    }

    /// `"info":{…}` members, as an object.
    static func writeInfo(_ record: RunRecord, tags: [String: String], deleted: Bool, to json: inout JSONWriter) {
        json.raw("{")
        json.key("run_id", first: true)
        json.string(record.id.value)
        json.key("run_uuid")
        json.string(record.id.value)
        json.key("run_name")
        json.string(name(record, tags: tags))
        json.key("experiment_id")
        json.string(record.experimentID.description)
        json.key("user_id")
        json.string(tags[userTag] ?? record.user)
        json.key("status")
        json.string(record.status.rawValue)
        json.key("start_time")
        json.integer(record.startTime.millisecondsSinceEpoch)
        if let end = record.endTime {
            json.key("end_time")
            json.integer(end.millisecondsSinceEpoch)
        }
        json.key("artifact_uri")
        json.string(artifactURI(record))
        json.key("lifecycle_stage")
        json.string(deleted ? "deleted" : "active")
        json.raw("}")
    }

    /// A whole run object.
    static func writeRun(_ facts: RunFacts, to json: inout JSONWriter) {
        json.raw("{\"info\":")
        writeInfo(facts.record, tags: facts.tags, deleted: facts.deletedAt != nil, to: &json)
        json.raw(",\"data\":{\"metrics\":[")
        let time = (facts.record.endTime ?? facts.record.startTime).millisecondsSinceEpoch
        var first = true
        for name in facts.metrics.keys.sorted() {
            let summary = facts.metrics[name]!
            json.comma(first)
            first = false
            json.raw("{\"key\":")
            json.string(name)
            json.raw(",\"value\":")
            json.number(summary.valueAtHighestStep)
            json.raw(",\"timestamp\":")
            json.integer(time)
            json.raw(",\"step\":")
            json.integer(summary.highestStep)
            json.raw("}")
        }
        json.raw("],\"params\":[")
        writePairs(facts.params, to: &json)
        json.raw("],\"tags\":[")
        writePairs(facts.tags, to: &json)
        json.raw("]},\"inputs\":{},\"outputs\":{}}")
    }

    static func writePairs(_ pairs: [String: String], to json: inout JSONWriter) {
        var first = true
        for key in pairs.keys.sorted() {
            json.comma(first)
            first = false
            json.pair(key, pairs[key]!)
        }
    }

    /// `{"run": {…}}`.
    static func runAnswer(_ facts: RunFacts) -> JSONWriter {
        var json = JSONWriter(capacity: 1024)
        json.raw("{\"run\":")
        writeRun(facts, to: &json)
        json.raw("}")
        return json
    }
}
