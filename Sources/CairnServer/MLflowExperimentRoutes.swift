import CairnCore
import CairnKit
import CairnIndex
import Hummingbird

/// MLflow's experiment endpoints (`experiments/get-by-name`, `create`, `get`, `search`, `delete`,
/// `restore`, `update`, `set-experiment-tag`, `delete-experiment-tag`) on a store.
///
/// Names: an MLflow name with leading `/` (`/Shared/x`, as Databricks writes them) is Cairn's grouped
/// name without it (`Shared/x`); a name no Cairn name can stand for is refused with the reason.
/// `Default` is id 0, made on first use.
struct MLflowExperimentRoutes: Sendable {
    let store: Store

    /// Adds the routes under `group` (`/api/2.0/mlflow` and `/ajax-api/2.0/mlflow`).
    func add(to group: RouterGroup<BasicRequestContext>) {
        group.get("experiments/get-by-name") { request, _ in try self.getByName(request) }
        group.post("experiments/create") { request, context in try await self.create(request, context) }
        group.get("experiments/get") { request, _ in try self.get(request) }
        group.post("experiments/search") { request, context in try await self.search(request, context) }
        group.post("experiments/delete") { request, context in try await self.delete(true, request, context) }
        group.post("experiments/restore") { request, context in try await self.delete(false, request, context) }
        group.post("experiments/update") { request, context in try await self.update(request, context) }
        group.post("experiments/set-experiment-tag") { request, context in try await self.setTag(request, context) }
        group.post("experiments/delete-experiment-tag") { request, context in try await self.deleteTag(request, context) }
    }

    /// Cairn's name for an MLflow experiment name.
    static func name(_ text: String) throws(MLflowError) -> ExperimentName {
        var trimmed = Substring(text)
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        do { return try ExperimentName(String(trimmed)) } catch {
            throw MLflowError(.invalidParameterValue, "Invalid experiment name '\(text)': \(error.message)")
        }
    }

    /// The experiment with this id (`0`: `Default`, made if needed).
    func experiment(_ text: String?, _ parameter: String = "experiment_id") throws(MLflowError) -> ExperimentRecord {
        let text = try Self.required(text, parameter)
        guard let id = ExperimentID(text: text) else { throw MLflowError(.resourceDoesNotExist, "No Experiment with id=\(text) exists") }
        do {
            if id.value == 0 { return try store.defaultExperiment() }
            return try store.experiment(id: id)
        } catch where error.kind == .notFound {
            throw MLflowError(.resourceDoesNotExist, "No Experiment with id=\(text) exists")
        } catch {
            throw MLflowError(error)
        }
    }

    private func getByName(_ request: Request) throws(MLflowError) -> MLflowExperimentAnswer {
        let text = try Self.required(QueryParameters(request.uri.query)["experiment_name"], "experiment_name")
        let found: ExperimentRecord?
        if let name = try? Self.name(text) {
            found = try library { () throws(CairnError) in
                name.description == "Default" ? try store.defaultExperiment() : try store.experimentIfPresent(named: name)
            }
        } else {
            found = nil
        }
        guard let record = found else { throw MLflowError(.resourceDoesNotExist, "Could not find experiment with name '\(text)'") }
        return MLflowExperimentAnswer(experiment: MLflowExperiment(record))
    }

    private struct CreateRequest: MLflowRequestBody {
        static let fields: Set<String> = ["name", "artifact_location", "tags"]
        var name: String?
        var tags: [MLflowTag]?
    }

    private func create(_ request: Request, _ context: BasicRequestContext) async throws -> MLflowCreatedExperiment {
        let body = try await MLflowBody.decode(CreateRequest.self, from: request, context)
        let text = try Self.required(body.name, "name")
        let name = try Self.name(text)
        var tags: [String: String?] = [:]
        for tag in body.tags ?? [] { tags[try MLflowRunRoutes.key(tag.key, "tag")] = tag.value }
        do {
            let record = name.description == "Default" ? try store.defaultExperiment() : try store.createExperiment(name)
            if !tags.isEmpty { try store.setExperimentTags(record.id, tags) }
            return MLflowCreatedExperiment(experimentID: record.id.description)
        } catch where error.kind == .alreadyExists {
            throw MLflowError(.resourceAlreadyExists, "Experiment '\(text)' already exists.")
        } catch {
            throw MLflowError(error)
        }
    }

    private func get(_ request: Request) throws(MLflowError) -> MLflowExperimentAnswer {
        MLflowExperimentAnswer(experiment: MLflowExperiment(try experiment(QueryParameters(request.uri.query)["experiment_id"])))
    }

    /// `delete`, `restore`, `update`, `set-experiment-tag`, `delete-experiment-tag`.
    private struct IDRequest: MLflowRequestBody {
        static let fields: Set<String> = ["experiment_id", "new_name", "key", "value"]
        var experimentID: String?
        var newName: String?
        var key: String?
        var value: String?
        enum CodingKeys: String, CodingKey {
            case key, value
            case experimentID = "experiment_id"
            case newName = "new_name"
        }
    }

    private func delete(_ deleted: Bool, _ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await MLflowBody.decode(IDRequest.self, from: request, context)
        let record = try experiment(body.experimentID)
        if deleted && record.id.value == 0 {
            throw MLflowError(.invalidParameterValue, "Cannot delete the default experiment '0'. This is an internally reserved experiment.")
        }
        try library { () throws(CairnError) in
            if deleted { try store.deleteExperiment(record.id) } else { try store.restoreExperiment(record.id) }
        }
        return MLflowRunRoutes.empty()
    }

    private func update(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await MLflowBody.decode(IDRequest.self, from: request, context)
        let record = try experiment(body.experimentID)
        if let text = body.newName, !text.isEmpty {
            let name = try Self.name(text)
            try library { () throws(CairnError) in try store.renameExperiment(record.id, to: name) }
        }
        return MLflowRunRoutes.empty()
    }

    private func setTag(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await MLflowBody.decode(IDRequest.self, from: request, context)
        let record = try experiment(body.experimentID)
        let key = try MLflowRunRoutes.key(body.key, "tag")
        try library { () throws(CairnError) in try store.setExperimentTags(record.id, [key: body.value ?? ""]) }
        return MLflowRunRoutes.empty()
    }

    private func deleteTag(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await MLflowBody.decode(IDRequest.self, from: request, context)
        let record = try experiment(body.experimentID)
        let key = try MLflowRunRoutes.key(body.key, "tag")
        do {
            try store.setExperimentTags(record.id, [key: nil])
        } catch where error.kind == .notFound {
            throw MLflowError(.resourceDoesNotExist, "No tag with name: \(key) in experiment with id \(record.id)")
        } catch {
            throw MLflowError(error)
        }
        return MLflowRunRoutes.empty()
    }

    private struct SearchRequest: MLflowRequestBody {
        static let fields: Set<String> = ["max_results", "page_token", "filter", "order_by", "view_type"]
        var maxResults: Int64?
        var filter: String?
        var orderBy: [String]?
        var viewType: String?
        var pageToken: String?
        enum CodingKeys: String, CodingKey {
            case filter
            case maxResults = "max_results"
            case orderBy = "order_by"
            case viewType = "view_type"
            case pageToken = "page_token"
        }
    }

    private func search(_ request: Request, _ context: BasicRequestContext) async throws -> MLflowExperimentPage {
        let body = try await MLflowBody.decode(SearchRequest.self, from: request, context)
        let limit = Int(body.maxResults ?? 1000)
        guard limit >= 1, limit <= 50_000 else {
            throw MLflowError(.invalidParameterValue, "Invalid value \(limit) for parameter 'max_results': it must be between 1 and 50000")
        }
        let filter = try ExperimentFilter(parsing: body.filter ?? "")
        let order = try ExperimentOrder(parsing: body.orderBy ?? [])
        let view = try MLflowRunSearchRoutes.lifecycle(body.viewType, "view_type")
        // MLflow's `Default` (id 0) always exists there; here it is made when first needed, a listing
        // included (a store whose layout or names leave no room for it lists without it).
        if view.includes(nil) { _ = try? store.defaultExperiment() }
        let all = try library { () throws(CairnError) in try store.experiments() }
        let found = order.sorted(all.filter { view.includes($0.deletedAt) && filter.matches($0.name.description) })
        let offset = try MLflowPageToken.offset(body.pageToken)
        let page = Array(found.dropFirst(offset).prefix(limit))
        let next = offset + page.count < found.count ? MLflowPageToken.token(offset + page.count) : nil
        return MLflowExperimentPage(experiments: page.map(MLflowExperiment.init), nextPageToken: next)
    }

    static func required(_ value: String?, _ name: String) throws(MLflowError) -> String {
        guard let value, !value.isEmpty else {
            throw MLflowError(.invalidParameterValue, "Missing value for required parameter '\(name)'.")
        }
        return value
    }
}

/// Calls the library, its failures as MLflow errors.
@discardableResult
func library<T>(_ body: () throws(CairnError) -> T) throws(MLflowError) -> T {
    do { return try body() } catch { throw MLflowError(error) }
}
