import CairnCore
import CairnKit
import Hummingbird

/// MLflow's experiment endpoints (`experiments/get-by-name`, `create`, `get`, `search`) on a store.
struct MLflowExperimentRoutes: Sendable {
    let store: Store

    /// Adds the routes under `group` (`/api/2.0/mlflow` and `/ajax-api/2.0/mlflow`).
    func add(to group: RouterGroup<BasicRequestContext>) {
        group.get("experiments/get-by-name") { request, _ in try self.getByName(request) }
        group.post("experiments/create") { request, context in try await self.create(request, context) }
        group.get("experiments/get") { request, _ in try self.get(request) }
        group.post("experiments/search") { request, context in try await self.search(request, context) }
    }

    private func getByName(_ request: Request) throws(MLflowError) -> MLflowExperimentAnswer {
        let text = try Self.required(QueryParameters(request.uri.query)["experiment_name"], "experiment_name")
        guard let name = try? ExperimentName(text), let record = try library({ () throws(CairnError) in try store.experimentIfPresent(named: name) }) else {
            throw MLflowError(.resourceDoesNotExist, "Could not find experiment with name '\(text)'")
        }
        return MLflowExperimentAnswer(experiment: MLflowExperiment(record))
    }

    private struct CreateRequest: Decodable {
        var name: String?
        var tags: [MLflowTag]?
    }

    private func create(_ request: Request, _ context: BasicRequestContext) async throws -> MLflowCreatedExperiment {
        let body = try await MLflowBody.decode(CreateRequest.self, from: request, context)
        let text = try Self.required(body.name, "name")
        if let tags = body.tags, !tags.isEmpty {
            throw MLflowError(.invalidParameterValue, "experiment tags are not kept by this server yet; create the experiment without tags")
        }
        let name: ExperimentName
        do { name = try ExperimentName(text) } catch { throw MLflowError(.invalidParameterValue, "Invalid experiment name '\(text)': \(error.message)") }
        do {
            return MLflowCreatedExperiment(experimentID: try store.createExperiment(name).id.description)
        } catch where error.kind == .alreadyExists {
            throw MLflowError(.resourceAlreadyExists, "Experiment '\(text)' already exists.")
        } catch {
            throw MLflowError(error)
        }
    }

    private func get(_ request: Request) throws(MLflowError) -> MLflowExperimentAnswer {
        let text = try Self.required(QueryParameters(request.uri.query)["experiment_id"], "experiment_id")
        guard let id = ExperimentID(text: text) else {
            throw MLflowError(.resourceDoesNotExist, "No Experiment with id=\(text) exists")
        }
        do {
            return MLflowExperimentAnswer(experiment: MLflowExperiment(try store.experiment(id: id)))
        } catch where error.kind == .notFound {
            throw MLflowError(.resourceDoesNotExist, "No Experiment with id=\(text) exists")
        } catch {
            throw MLflowError(error)
        }
    }

    private struct SearchRequest: Decodable {
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
        // Deleted experiments do not exist here yet: DELETED_ONLY finds none.
        let all = body.viewType == "DELETED_ONLY" ? [] : try library { () throws(CairnError) in try store.experiments() }
        let found = order.sorted(all.filter { filter.matches($0.name.description) })
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
func library<T>(_ body: () throws(CairnError) -> T) throws(MLflowError) -> T {
    do { return try body() } catch { throw MLflowError(error) }
}
