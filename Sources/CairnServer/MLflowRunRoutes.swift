import CairnCore
import CairnKit
import Hummingbird

/// MLflow's run endpoints: create, get, update, log-metric, log-parameter, set-tag, delete-tag,
/// log-batch, log-inputs.
struct MLflowRunRoutes: Sendable {
    let store: Store
    let writers: RunWriters

    /// MLflow's limits on one `log-batch`.
    static let maxBatchMetrics = 1000
    static let maxBatchParams = 100
    static let maxBatchTags = 100
    static let maxBatchItems = 1000
    /// MLflow's limits on a param's and a tag's value (characters).
    static let maxParamValue = 6000
    static let maxTagValue = 8000

    func add(to group: RouterGroup<BasicRequestContext>) {
        group.post("runs/create") { request, context in try await self.create(request, context) }
        group.get("runs/get") { request, _ in try await self.get(request) }
        group.post("runs/update") { request, context in try await self.update(request, context) }
        group.post("runs/log-metric") { request, context in try await self.logMetric(request, context) }
        group.post("runs/log-parameter") { request, context in try await self.logParameter(request, context) }
        group.post("runs/set-tag") { request, context in try await self.setTag(request, context) }
        group.post("runs/delete-tag") { request, context in try await self.deleteTag(request, context) }
        group.post("runs/log-batch") { request, context in try await self.logBatch(request, context) }
        group.post("runs/log-inputs") { request, context in try await self.logInputs(request, context) }
        group.post("runs/delete") { request, context in try await self.setDeleted(true, request, context) }
        group.post("runs/restore") { request, context in try await self.setDeleted(false, request, context) }
    }

    /// `{}`: what MLflow answers to the logging calls.
    static func empty() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
    }

    // MARK: Runs

    private func create(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await MLflowBody.decode(MLflowRunRequests.Create.self, from: request, context)
        let experiment = try MLflowExperimentRoutes(store: store).experiment(body.experimentID)
        if experiment.isDeleted {
            throw MLflowError(.invalidParameterValue, "The experiment \(experiment.id) must be in the 'active' state. Current state is deleted.")
        }
        var tags: [String: String] = [:]
        for tag in body.tags ?? [] {
            let key = try Self.key(tag.key, "tag")
            tags[key] = try Self.value(tag.value, "tag", key: key)
        }
        if let name = body.runName, !name.isEmpty { tags[MLflowRunJSON.runNameTag] = name }
        if let user = body.userID, !user.isEmpty, tags[MLflowRunJSON.userTag] == nil { tags[MLflowRunJSON.userTag] = user }
        let name = tags[MLflowRunJSON.runNameTag]
        // A name MLflow allows but Cairn's names do not (a `/`, say) is kept whole in the tag only.
        let cairnName = name.flatMap { MLflowRunName.cairnName(for: $0) }
        let command = tags["mlflow.source.name"].map { [$0] } ?? []
        let runRequest = RunRequest(experiment: experiment.name, name: cairnName, tags: tags, command: command, captureGit: false)
        let run = try library { () throws(CairnError) in try store.createRun(runRequest) }
        let facts = RunFacts(record: run.record, folder: run.folder, tags: tags)
        return MLflowRunJSON.runAnswer(facts).response()
    }

    private func get(_ request: Request) async throws -> Response {
        let query = QueryParameters(request.uri.query)
        let run = try writers.run(query["run_id"] ?? query["run_uuid"])
        let facts = try await runFacts(run)
        return MLflowRunJSON.runAnswer(facts).response()
    }

    private func update(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await MLflowBody.decode(MLflowRunRequests.Update.self, from: request, context)
        var run = try writers.run(body.runID ?? body.runUUID)
        if let text = body.status {
            guard let status = RunStatus(rawValue: text) else {
                throw MLflowError(.invalidParameterValue, "Invalid value '\(text)' for parameter 'status': use RUNNING, FINISHED, FAILED or KILLED")
            }
            let end = body.endTime.map { Timestamp(millisecondsSinceEpoch: $0.value) }
            run = try library { () throws(CairnError) in try store.setStatus(of: run, to: status, at: end) }
        } else {
            run = try writers.fresh(run)
        }
        var tags = try library { () throws(CairnError) in try store.tags(of: run) }
        if let name = body.runName, !name.isEmpty {
            try library { () throws(CairnError) in try store.setTags([MLflowRunJSON.runNameTag: name], on: run) }
            tags[MLflowRunJSON.runNameTag] = name
        }
        var json = JSONWriter()
        json.raw("{\"run_info\":")
        MLflowRunJSON.writeInfo(run.record, tags: tags, deleted: writers.isDeleted(run), to: &json)
        json.raw("}")
        return json.response()
    }

    /// `runs/delete` and `runs/restore`: the soft deletion of ``CairnKit/Store/deleteRun(_:)``.
    private func setDeleted(_ deleted: Bool, _ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await MLflowBody.decode(MLflowRunRequests.RunOnly.self, from: request, context)
        let run = try writers.run(body.runID)
        let updated = try library { () throws(CairnError) in deleted ? try store.deleteRun(run) : try store.restoreRun(run) }
        writers.setDeleted(updated.deletedAt != nil, run.id)
        return Self.empty()
    }

    // MARK: Logging

    private func logMetric(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await MLflowBody.decode(MLflowRunRequests.LogMetric.self, from: request, context)
        let logger = try writers.activeLogger(body.runID ?? body.runUUID)
        let metric = MLflowRunRequests.Metric(key: body.key, value: body.value, timestamp: body.timestamp, step: body.step)
        try write([metric], to: logger)
        return Self.empty()
    }

    private func logParameter(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await MLflowBody.decode(MLflowRunRequests.KeyValue.self, from: request, context)
        let run = try writers.activeRun(body.runID ?? body.runUUID)
        let key = try Self.key(body.key, "param")
        try setParams([key: try Self.value(body.value, "param", key: key)], on: run)
        return Self.empty()
    }

    private func setTag(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await MLflowBody.decode(MLflowRunRequests.KeyValue.self, from: request, context)
        let run = try writers.activeRun(body.runID ?? body.runUUID)
        let key = try Self.key(body.key, "tag")
        let value = try Self.value(body.value, "tag", key: key)
        try library { () throws(CairnError) in try store.setTags([key: value], on: run) }
        return Self.empty()
    }

    private func deleteTag(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await MLflowBody.decode(MLflowRunRequests.KeyValue.self, from: request, context)
        let run = try writers.run(body.runID ?? body.runUUID)
        let key = try Self.key(body.key, "tag")
        do {
            try store.removeTags([key], from: run)
        } catch where error.kind == .notFound {
            throw MLflowError(.resourceDoesNotExist, "No tag with name: \(key) in run with id \(run.id)")
        } catch {
            throw MLflowError(error)
        }
        return Self.empty()
    }

    private func logBatch(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await MLflowBody.decode(MLflowRunRequests.LogBatch.self, from: request, context)
        let metrics = body.metrics ?? [], params = body.params ?? [], tags = body.tags ?? []
        if metrics.count > Self.maxBatchMetrics || params.count > Self.maxBatchParams || tags.count > Self.maxBatchTags
            || metrics.count + params.count + tags.count > Self.maxBatchItems {
            throw MLflowError(.invalidParameterValue, "A batch logging request can contain at most \(Self.maxBatchMetrics) metrics, \(Self.maxBatchParams) params, "
                              + "\(Self.maxBatchTags) tags and \(Self.maxBatchItems) items in total; this one has \(metrics.count) metrics, \(params.count) params and \(tags.count) tags")
        }
        let logger = try writers.activeLogger(body.runID)
        // Everything is checked before anything is written.
        var paramMap: [String: String] = [:]
        for param in params {
            let key = try Self.key(param.key, "param")
            _ = try Self.value(param.value, "param", key: key)
            if let other = paramMap[key], other != param.value {
                throw MLflowError(.invalidParameterValue, "Duplicate parameter keys have been submitted: the param '\(key)' is given the values '\(other)' and '\(param.value)'")
            }
            paramMap[key] = param.value
        }
        var tagMap: [String: String] = [:]
        for tag in tags {
            let key = try Self.key(tag.key, "tag")
            tagMap[key] = try Self.value(tag.value, "tag", key: key)
        }
        let points = try Self.points(metrics)
        if !paramMap.isEmpty { try setParams(paramMap, on: logger.run) }
        if !tagMap.isEmpty { try library { () throws(CairnError) in try store.setTags(tagMap, on: logger.run) } }
        try write(points, to: logger)
        return Self.empty()
    }

    private func logInputs(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await MLflowBody.decode(MLflowRunRequests.LogInputs.self, from: request, context)
        let run = try writers.activeRun(body.runID)
        // Each dataset is recorded as a tag `mlflow.dataset.NAME` (its digest, source type and source, and
        // the input's tags such as its context), since Cairn has no dataset records of its own.
        var tags: [String: String] = [:]
        for input in body.datasets ?? [] {
            guard let dataset = input.dataset, let name = dataset.name, !name.isEmpty else {
                throw MLflowError(.invalidParameterValue, "Missing value for required parameter 'datasets.dataset.name'.")
            }
            var parts = ["digest=\(dataset.digest ?? "")", "source_type=\(dataset.sourceType ?? "")", "source=\(dataset.source ?? "")"]
            for tag in input.tags ?? [] { parts.append("\(tag.key)=\(tag.value)") }
            tags[try Self.key("mlflow.dataset." + name, "tag")] = parts.joined(separator: " ")
        }
        if !tags.isEmpty { try library { () throws(CairnError) in try store.setTags(tags, on: run) } }
        return Self.empty()
    }

    // MARK: Helpers

    private func runFacts(_ run: Run) async throws(MLflowError) -> RunFacts {
        do { return try await store.facts(of: run) } catch { throw MLflowError(error) }
    }

    private func setParams(_ params: [String: String], on run: Run) throws(MLflowError) {
        do {
            try store.setParams(params, on: run)
        } catch where error.kind == .conflict {
            throw MLflowError(.invalidParameterValue, "Changing param values is not allowed. \(error.message)")
        } catch {
            throw MLflowError(error)
        }
    }

    /// A key given, checked as Cairn checks keys (printable, not too long).
    static func key(_ key: String?, _ what: String) throws(MLflowError) -> String {
        guard let key, !key.isEmpty else { throw MLflowError(.invalidParameterValue, "Missing value for required parameter '\(what) key'.") }
        do { try RunTags.validateKey(key, what: "\(what) key") } catch { throw MLflowError(.invalidParameterValue, error.description) }
        return key
    }

    /// A param's or tag's value, refused past MLflow's limit.
    static func value(_ value: String?, _ what: String, key: String) throws(MLflowError) -> String {
        let value = value ?? ""
        let limit = what == "param" ? maxParamValue : maxTagValue
        if value.count > limit {
            throw MLflowError(.invalidParameterValue, "The \(what) '\(key)' has a value of \(value.count) characters; the limit is \(limit)")
        }
        return value
    }

    /// MLflow metrics as Cairn points, by split (``MLflowMetricKey``).
    static func points(_ metrics: [MLflowRunRequests.Metric]) throws(MLflowError) -> [String: [MetricPoint]] {
        var bySplit: [String: [MetricPoint]] = [:]
        for metric in metrics {
            let key = try Self.key(metric.key, "metric")
            guard let value = metric.value?.value else {
                throw MLflowError(.invalidParameterValue, "Missing value for required parameter 'value' of the metric '\(key)'.")
            }
            let step = metric.step?.value ?? 0
            guard step >= 0 else { throw MLflowError(.invalidParameterValue, "Invalid value \(step) for parameter 'step' of the metric '\(key)': steps are not negative") }
            let mapped = MLflowMetricKey(key)
            let time = metric.timestamp.map { Double($0.value) / 1000 }
            bySplit[mapped.split, default: []].append(MetricPoint(key: mapped.key, value: value, step: step, time: time))
        }
        return bySplit
    }

    private func write(_ metrics: [MLflowRunRequests.Metric], to logger: MetricLogger) throws(MLflowError) {
        try write(try Self.points(metrics), to: logger)
    }

    /// Logs the points and writes them before the request is answered.
    private func write(_ points: [String: [MetricPoint]], to logger: MetricLogger) throws(MLflowError) {
        try library { () throws(CairnError) in
            for split in points.keys.sorted() { try logger.log(points[split]!, split: split) }
            try logger.flush()
        }
    }
}
