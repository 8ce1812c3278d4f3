import CairnCore
import CairnIndex
import CairnKit
import Hummingbird

/// `runs/search` on the store's index: MLflow's filter and `order_by` (the index's own syntax, which is
/// MLflow's), `max_results` (1,000 by default, at most 50,000) and page tokens.
struct MLflowRunSearchRoutes: Sendable {
    let store: Store

    func add(to group: RouterGroup<BasicRequestContext>) {
        group.post("runs/search") { request, context in try await self.search(request, context) }
    }

    private func search(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let body = try await MLflowBody.decode(MLflowRunRequests.Search.self, from: request, context)
        let limit = Int(body.maxResults ?? 1000)
        guard limit >= 1, limit <= 50_000 else {
            throw MLflowError(.invalidParameterValue, "Invalid value \(limit) for parameter 'max_results': it must be between 1 and 50000")
        }
        var experiments: [ExperimentID] = []
        for text in body.experimentIDs ?? [] {
            guard let id = ExperimentID(text: text) else {
                throw MLflowError(.invalidParameterValue, "Invalid value '\(text)' for parameter 'experiment_ids': experiment ids are decimal numbers")
            }
            experiments.append(id)
        }
        let filter: RunFilter
        do { filter = try RunFilter(parsing: body.filter ?? "") } catch {
            throw MLflowError(.invalidParameterValue, "Invalid filter '\(body.filter ?? "")': \(error)")
        }
        var orderings: [RunOrdering] = []
        for text in body.orderBy ?? [] {
            do { orderings.append(try RunOrdering(parsing: text)) } catch {
                throw MLflowError(.invalidParameterValue, "Invalid order_by clause '\(text)': \(error)")
            }
        }
        let offset = try MLflowPageToken.offset(body.pageToken)
        var query = RunQuery(experiments: experiments.isEmpty ? nil : experiments, filter: filter, orderings: orderings,
                             limit: limit, offset: offset)
        query.lifecycle = try Self.lifecycle(body.runViewType, "run_view_type")
        let page: RunPage
        do { page = try await store.searchRuns(query) } catch { throw MLflowError(error) }
        var json = JSONWriter(capacity: 1024 * max(1, page.runs.count))
        json.raw("{\"runs\":[")
        for (index, run) in page.runs.enumerated() {
            json.comma(index == 0)
            MLflowRunJSON.writeRun(run.facts, to: &json)
        }
        json.raw("]")
        if let next = page.nextOffset {
            json.key("next_page_token")
            json.string(MLflowPageToken.token(next))
        }
        json.raw("}")
        return json.response()
    }

    /// MLflow's `ViewType` by name (`ACTIVE_ONLY` when absent).
    static func lifecycle(_ text: String?, _ parameter: String) throws(MLflowError) -> RunQuery.Lifecycle {
        switch text {
        case nil, "", "ACTIVE_ONLY": .active
        case "DELETED_ONLY": .deleted
        case "ALL": .all
        case let other?:
            throw MLflowError(.invalidParameterValue, "Invalid value '\(other)' for parameter '\(parameter)': use ACTIVE_ONLY, DELETED_ONLY or ALL")
        }
    }
}
