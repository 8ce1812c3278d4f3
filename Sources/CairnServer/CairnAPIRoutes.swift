import CairnCore
import CairnIndex
import CairnKit
import Hummingbird

/// Cairn's own JSON API, under `/api/cairn/v1/`, for what MLflow has no words for: the store, its
/// layouts and experiments, run listings with a filter and chosen columns, a run's details,
/// checkpoints, metric summaries and series downsampled for charts, its log followed by long-poll, its
/// config and artifacts (``CairnAPIRunFileRoutes``), and runs compared.
/// Bodies are ``CairnKit/CairnAPI`` values as `--json` prints them; errors are ``CairnAPIError``.
struct CairnAPIRoutes: Sendable {
    let store: Store

    /// The longest a log request waits for new lines.
    static let maximumWait = 30.0

    func add(to router: Router<BasicRequestContext>) {
        let group = router.group("api/cairn/v1")
        group.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: CairnAPIDocument.text)))
        }
        group.get("store") { _, _ in try Self.json(store.info) }
        group.get("layouts") { _, _ in try Self.json(store.layouts) }
        group.get("experiments") { _, _ in try Self.json(try Self.call { () throws(CairnError) in try store.listExperiments() }) }
        group.get("runs") { request, _ in try await self.runs(request) }
        group.get("check") { request, _ in
            let query = QueryParameters(request.uri.query)
            return try Self.json(CairnAPI.QueryCheck(filter: query["filter"] ?? "", orderings: query.all("order_by")))
        }
        group.get("keys") { request, _ in
            let query = QueryParameters(request.uri.query)
            let search = try self.query(query)
            let limit = try Self.integer(query["limit"], "limit", default: 1000, range: 1...10_000)
            return try Self.json(try await Self.call { () async throws(CairnError) in try await store.runKeys(search, limit: limit) })
        }
        group.get("runs/{run}") { _, context in
            let run = try run(context)
            return try Self.json(try Self.call { () throws(CairnError) in try store.details(of: run) })
        }
        group.get("runs/{run}/checkpoints") { request, context in
            let run = try run(context)
            let all = try Self.flag(QueryParameters(request.uri.query)["all"], "all")
            return try Self.json(try Self.call { () throws(CairnError) in
                try RunCheckpoints.view(store: store, run: run).checkpoints(includingPruned: all)
            })
        }
        group.get("runs/{run}/checkpoints/{selector}") { _, context in
            let run = try run(context)
            let text = context.parameters.get("selector") ?? ""
            return try Self.json(try Self.call { () throws(CairnError) in
                let view = try RunCheckpoints.view(store: store, run: run)
                if text == "latest" { return try view.latestCompleteCheckpoint() }
                guard let selector = CheckpointSelector(text) else {
                    throw CairnError(.invalidValue, "'\(text)' names no checkpoint", hint: "use " + (CheckpointSelector.spellings + ["latest"]).joined(separator: ", "))
                }
                return try view.checkpoint(selector)
            })
        }
        group.get("runs/{run}/metrics") { _, context in
            let run = try run(context)
            return try Self.json(try Self.call { () throws(CairnError) in try store.metricSummaries(of: run) })
        }
        group.get("runs/{run}/series") { request, context in
            let run = try run(context)
            let query = QueryParameters(request.uri.query)
            let points = try Self.integer(query["points"], "points", default: 500, range: 1...100_000)
            guard let key = query["key"], !key.isEmpty else {
                throw CairnAPIError(CairnError(.invalidValue, "no metric key given", hint: "add ?key=KEY (and &split=SPLIT, train by default)"))
            }
            let split = query["split"] ?? MetricName.defaultSplit
            let from = Int64(try Self.integer(query["from"], "from", default: Int.min, range: Int.min...Int.max))
            let to = Int64(try Self.integer(query["to"], "to", default: Int.max, range: Int.min...Int.max))
            guard from <= to else {
                throw CairnAPIError(CairnError(.invalidValue, "the steps from \(from) to \(to) are no range", hint: "give from ≤ to"))
            }
            let steps = query["from"] == nil && query["to"] == nil ? nil : from...to
            return try Self.json(try Self.call { () throws(CairnError) in
                try store.metricSeries(of: run, split: split, key: key, points: points, steps: steps)
            })
        }
        group.get("runs/{run}/log") { request, context in try await self.log(request, context) }
        CairnAPIRunFileRoutes(store: store).add(to: group)
        group.get("compare") { request, _ in
            let texts = QueryParameters(request.uri.query).all("runs").flatMap { $0.split(separator: ",").map(String.init) }
            guard !texts.isEmpty else {
                throw CairnAPIError(CairnError(.invalidValue, "no runs to compare", hint: "add ?runs=RUN&runs=RUN (ids or unique prefixes)"))
            }
            let runs = try texts.map { (text) throws(CairnAPIError) in try Self.call { () throws(CairnError) in try store.run(.text(text)) } }
            return try Self.json(try await Self.call { () async throws(CairnError) in try await store.compare(runs) })
        }
    }

    /// `GET runs?experiment=&filter=&order_by=&columns=&limit=&offset=&view=`: the index's search, as
    /// `cairn run ls --json` answers it (each run with its chosen columns).
    private func runs(_ request: Request) async throws -> Response {
        let query = QueryParameters(request.uri.query)
        var search = try self.query(query)
        do {
            search.orderings = try query.all("order_by").map { (text) throws(FilterError) in try RunOrdering(parsing: text) }
        } catch {
            throw CairnAPIError(CairnError(error, in: query.all("order_by").joined(separator: ", "), what: "ordering"), column: error.column)
        }
        var columns: [(name: String, field: FilterField)] = []
        for name in query.all("columns") {
            do { columns.append((name, try RunOrdering(parsing: name).field)) } catch {
                throw CairnAPIError(CairnError(error, in: name, what: "column"), column: error.column)
            }
        }
        search.limit = try Self.integer(query["limit"], "limit", default: 1000, range: 1...50_000)
        search.offset = try Self.integer(query["offset"], "offset", default: 0, range: 0...Int.max)
        let found = search
        let runs = try await Self.call { () async throws(CairnError) in try await store.listRuns(found, columns: columns) }
        return try Self.json(runs)
    }

    /// The runs a request's `experiment` (a name or a glob), `filter` and `view` (active, deleted, all) select.
    private func query(_ query: QueryParameters) throws(CairnAPIError) -> RunQuery {
        var search = RunQuery()
        do {
            search.filter = try RunFilter(parsing: query["filter"] ?? "")
        } catch {
            throw CairnAPIError(CairnError(error, in: query["filter"] ?? ""), column: error.column)
        }
        switch query["view"] ?? "active" {
        case "active": search.lifecycle = .active
        case "deleted": search.lifecycle = .deleted
        case "all": search.lifecycle = .all
        case let other: throw CairnAPIError(CairnError(.invalidValue, "'\(other)' is not a view", hint: "use active, deleted or all"))
        }
        if let pattern = query["experiment"], !pattern.isEmpty {
            let found = try Self.call { () throws(CairnError) in try store.experiments(matching: pattern) }
            search.experiments = found.map(\.id)
        }
        return search
    }

    /// `GET runs/RUN/log?offset=N&wait=S`: the complete lines after byte N; when there are none and the
    /// run is alive, waits up to S seconds (at most 30) for more (a long-poll: the UI follows a log by
    /// asking again from `next`).
    private func log(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let run = try run(context)
        let query = QueryParameters(request.uri.query)
        let offset = try Self.integer(query["offset"], "offset", default: 0, range: 0...Int.max)
        let wait = min(Self.maximumWait, Double(query["wait"] ?? "0") ?? 0)
        let deadline = ContinuousClock.now + .milliseconds(Int(max(0, wait) * 1000))
        while true {
            let page = try Self.call { () throws(CairnError) in try store.readLog(of: run, from: Int64(offset)) }
            if !page.lines.isEmpty || !page.live || ContinuousClock.now >= deadline { return try Self.json(page) }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    private func run(_ context: BasicRequestContext) throws(CairnAPIError) -> Run {
        try Self.run(context, in: store)
    }

    /// The run the path's `{run}` names (an id or a unique prefix).
    static func run(_ context: BasicRequestContext, in store: Store) throws(CairnAPIError) -> Run {
        let text = context.parameters.get("run") ?? ""
        return try call { () throws(CairnError) in try store.run(.text(text)) }
    }

    static func call<T>(_ body: () throws(CairnError) -> T) throws(CairnAPIError) -> T {
        do { return try body() } catch { throw CairnAPIError(error) }
    }

    static func call<T>(_ body: () async throws(CairnError) -> T) async throws(CairnAPIError) -> T {
        do { return try await body() } catch { throw CairnAPIError(error) }
    }

    /// A boolean query parameter: absent, `false` or `0` is false; `true` or `1` is true.
    static func flag(_ text: String?, _ name: String) throws(CairnAPIError) -> Bool {
        switch text ?? "" {
        case "", "false", "0": return false
        case "true", "1": return true
        case let other: throw CairnAPIError(CairnError(.invalidValue, "'\(other)' is not a valid \(name)", hint: "give true or false"))
        }
    }

    static func integer(_ text: String?, _ name: String, default value: Int, range: ClosedRange<Int>) throws(CairnAPIError) -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw CairnAPIError(CairnError(.invalidValue, "'\(text)' is not a valid \(name)", hint: "give an integer from \(range.lowerBound) to \(range.upperBound)"))
        }
        return number
    }

    /// A CairnAPI value as `--json` writes it (compact).
    static func json(_ value: some Encodable) throws -> Response {
        let text = try call { () throws(CairnError) in try CairnJSON.line(value) }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
