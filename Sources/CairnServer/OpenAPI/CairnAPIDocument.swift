import CairnKit
import Foundation

/// The OpenAPI 3.0 document of Cairn's JSON API (`/api/cairn/v1/openapi.json`, kept in the repo as
/// `docs/openapi.json`): its paths, their parameters, and the schemas of their answers, derived from
/// the CairnAPI types themselves (``SchemaDecoder``).
public enum CairnAPIDocument {
    /// An endpoint: its path (relative to the API's base), summary, parameters, answer.
    struct Endpoint {
        var path: String
        var summary: String
        var parameters: [Parameter]
        var answer: JSONSchema
    }

    struct Parameter {
        var name: String
        var location: String
        var required: Bool
        var schema: JSONSchema
        var description: String
    }

    /// The document, generated (deterministic: sorted keys, no values), pretty-printed.
    public static let text: String = {
        let compact = generate()
        guard let object = try? JSONSerialization.jsonObject(with: Data(compact.utf8)),
              let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            return compact
        }
        return String(decoding: pretty, as: UTF8.self) + "\n"
    }()

    static func generate() -> String {
        let components = SchemaComponents(names: [
            (CairnAPI.Store.self, "Store"), (CairnAPI.Layout.self, "Layout"), (CairnAPI.Experiment.self, "Experiment"),
            (CairnAPI.Run.self, "Run"), (CairnAPI.RunDetails.self, "RunDetails"), (CairnAPI.Checkpoint.self, "Checkpoint"),
            (CairnAPI.MetricSummary.self, "MetricSummary"), (CairnAPI.MetricSeries.self, "MetricSeries"),
            (CairnAPI.LogPage.self, "LogPage"), (CairnAPI.LogLine.self, "LogLine"), (CairnAPI.Param.self, "Param"),
            (CairnAPI.Artifact.self, "Artifact"), (CairnAPI.Comparison.self, "Comparison"), (CairnAPI.RunKeys.self, "RunKeys"), (CairnAPI.QueryCheck.self, "QueryCheck"),
        ])
        func schema<T: Decodable>(_ type: T.Type) -> JSONSchema {
            (try? SchemaDecoder.decode(type, components: components).1) ?? .any
        }
        let run = Parameter(name: "run", location: "path", required: true, schema: .string(format: nil),
                            description: "a run id, or a unique prefix of one")
        func query(_ name: String, _ schema: JSONSchema, _ description: String) -> Parameter {
            Parameter(name: name, location: "query", required: false, schema: schema, description: description)
        }
        let endpoints = [
            Endpoint(path: "/store", summary: "The store: root, tree, layout, format", parameters: [], answer: schema(CairnAPI.Store.self)),
            Endpoint(path: "/layouts", summary: "The layouts the store knows", parameters: [], answer: schema([CairnAPI.Layout].self)),
            Endpoint(path: "/experiments", summary: "Every experiment", parameters: [], answer: schema([CairnAPI.Experiment].self)),
            Endpoint(path: "/runs", summary: "Runs found by the index, as cairn run ls --json", parameters: [
                query("experiment", .string(format: nil), "an experiment name or a glob (vae/*)"),
                query("filter", .string(format: nil), "MLflow's search_runs filter syntax"),
                query("order_by", .array(.string(format: nil)), "orderings, e.g. metrics.loss DESC (repeatable)"),
                query("columns", .array(.string(format: nil)), "fields shown in each run's columns (repeatable)"),
                query("limit", .integer(format: "int32"), "at most this many runs (1 to 50000; 1000 by default)"),
                query("offset", .integer(format: "int32"), "skip this many"),
                query("view", .enumeration(["active", "deleted", "all"]), "runs by lifecycle stage (active by default)"),
            ], answer: schema([CairnAPI.Run].self)),
            Endpoint(path: "/check", summary: "Whether a filter and orderings read, and if not where (always 200)", parameters: [
                query("filter", .string(format: nil), "MLflow's search_runs filter syntax"),
                query("order_by", .array(.string(format: nil)), "orderings, e.g. metrics.loss DESC (repeatable)"),
            ], answer: schema(CairnAPI.QueryCheck.self)),
            Endpoint(path: "/keys", summary: "The params, metrics and tags the newest runs found have, with counts (for choosing columns)", parameters: [
                query("experiment", .string(format: nil), "an experiment name or a glob (vae/*)"),
                query("filter", .string(format: nil), "MLflow's search_runs filter syntax"),
                query("limit", .integer(format: "int32"), "examine at most this many runs, newest first (1 to 10000; 1000 by default)"),
                query("view", .enumeration(["active", "deleted", "all"]), "runs by lifecycle stage (active by default)"),
            ], answer: schema(CairnAPI.RunKeys.self)),
            Endpoint(path: "/runs/{run}", summary: "A run with its typed params and tags", parameters: [run], answer: schema(CairnAPI.RunDetails.self)),
            Endpoint(path: "/runs/{run}/checkpoints", summary: "A run's checkpoints", parameters: [
                run, query("all", .boolean, "also the pruned, replaced and aborted ones, with why (as ckpt ls --all)"),
            ], answer: schema([CairnAPI.Checkpoint].self)),
            Endpoint(path: "/runs/{run}/checkpoints/{selector}", summary: "One checkpoint: best, last, latest, epoch=N or step=N", parameters: [
                run, Parameter(name: "selector", location: "path", required: true, schema: .string(format: nil), description: "best, last, latest, epoch=N or step=N"),
            ], answer: schema(CairnAPI.Checkpoint.self)),
            Endpoint(path: "/runs/{run}/metrics", summary: "Each metric of each split, summarized", parameters: [run], answer: schema([CairnAPI.MetricSummary].self)),
            Endpoint(path: "/runs/{run}/series", summary: "One metric in at most N buckets (min and max kept)", parameters: [
                run, Parameter(name: "key", location: "query", required: true, schema: .string(format: nil), description: "the metric's key"),
                query("split", .string(format: nil), "the split (train by default)"),
                query("points", .integer(format: "int32"), "at most this many buckets (1 to 100000; 500 by default)"),
                query("from", .integer(format: "int64"), "only the steps from this one (a zoomed chart)"),
                query("to", .integer(format: "int64"), "only the steps up to this one"),
            ], answer: schema(CairnAPI.MetricSeries.self)),
            Endpoint(path: "/runs/{run}/log", summary: "The log's complete lines after a byte offset; waits while the run is alive", parameters: [
                run, query("offset", .integer(format: "int64"), "a byte offset (0 by default; the last answer's next)"),
                query("wait", .number, "seconds to wait for new lines (at most 30)"),
            ], answer: schema(CairnAPI.LogPage.self)),
            Endpoint(path: "/runs/{run}/artifacts", summary: "A run's artifacts, as cairn artifact ls --json (runs/RUN/artifact?path=P downloads one)",
                     parameters: [run], answer: schema([CairnAPI.Artifact].self)),
            Endpoint(path: "/compare", summary: "Runs side by side, as cairn compare --json", parameters: [
                Parameter(name: "runs", location: "query", required: true, schema: .array(.string(format: nil)),
                          description: "the runs (ids or unique prefixes; repeatable, or comma-separated)"),
            ], answer: schema(CairnAPI.Comparison.self)),
        ]
        let error = JSONSchema.object([("error", .object([("kind", .string(format: nil)), ("message", .string(format: nil)), ("hint", .nullable(.string(format: nil)))]))])
        var paths: [String] = []
        for endpoint in endpoints.sorted(by: { $0.path < $1.path }) {
            let parameters = endpoint.parameters.map { parameter in
                "{\"description\":\(quoted(parameter.description)),\"in\":\"\(parameter.location)\",\"name\":\"\(parameter.name)\","
                    + "\"required\":\(parameter.required),\"schema\":\(parameter.schema.json)"
                    + (parameter.schema.isArray ? ",\"explode\":true,\"style\":\"form\"" : "") + "}"
            }
            let responses = "{\"200\":{\"content\":{\"application/json\":{\"schema\":\(endpoint.answer.json)}},\"description\":\"OK\"},"
                + "\"default\":{\"content\":{\"application/json\":{\"schema\":{\"$ref\":\"#/components/schemas/Error\"}}},\"description\":\"an error: not found (404), a bad value (400), a conflict (409)\"}}"
            paths.append("\(quoted(endpoint.path)):{\"get\":{\"parameters\":[\(parameters.joined(separator: ","))],\"responses\":\(responses),\"summary\":\(quoted(endpoint.summary))}}")
        }
        var schemas = components.schemas
        schemas["Error"] = error
        let componentText = schemas.keys.sorted().map { "\(quoted($0)):\(schemas[$0]!.json)" }.joined(separator: ",")
        return "{\"components\":{\"schemas\":{\(componentText)}},\"info\":{\"description\":\"Cairn's own JSON API, served by cairn serve beside MLflow's tracking API.\","
            + "\"title\":\"Cairn\",\"version\":\"1\"},\"openapi\":\"3.0.3\",\"paths\":{\(paths.joined(separator: ","))},"
            + "\"servers\":[{\"url\":\"/api/cairn/v1\"}]}\n"
    }

    private static func quoted(_ text: String) -> String {
        var json = JSONWriter()
        json.string(text)
        return String(decoding: json.bytes, as: UTF8.self)
    }
}

extension JSONSchema {
    var isArray: Bool {
        if case .array = self { return true }
        return false
    }
}
