/// The bodies of MLflow's run endpoints, as its client sends them (unknown fields ignored).
enum MLflowRunRequests {
    struct Create: MLflowRequestBody {
        static let fields: Set<String> = ["experiment_id", "user_id", "run_name", "start_time", "tags"]
        var experimentID: String?
        var userID: String?
        var runName: String?
        var startTime: MLflowInt64?
        var tags: [MLflowTag]?
        enum CodingKeys: String, CodingKey {
            case tags
            case experimentID = "experiment_id"
            case userID = "user_id"
            case runName = "run_name"
            case startTime = "start_time"
        }
    }

    struct Update: MLflowRequestBody {
        static let fields: Set<String> = ["run_id", "run_uuid", "status", "end_time", "run_name"]
        var runID: String?
        var runUUID: String?
        var status: String?
        var endTime: MLflowInt64?
        var runName: String?
        enum CodingKeys: String, CodingKey {
            case status
            case runID = "run_id"
            case runUUID = "run_uuid"
            case endTime = "end_time"
            case runName = "run_name"
        }
    }

    /// `runs/delete`, `runs/restore`.
    struct RunOnly: MLflowRequestBody {
        static let fields: Set<String> = ["run_id"]
        var runID: String?
        enum CodingKeys: String, CodingKey { case runID = "run_id" }
    }

    struct Metric: Decodable {
        var key: String?
        var value: MLflowDouble?
        var timestamp: MLflowInt64?
        var step: MLflowInt64?
    }

    struct LogMetric: MLflowRequestBody {
        static func fast(_ bytes: UnsafeBufferPointer<UInt8>) -> LogMetric? { MLflowFastBodies.logMetric(bytes) }
        static let fields: Set<String> = ["run_id", "run_uuid", "key", "value", "timestamp", "step", "model_id", "dataset_name", "dataset_digest"]
        var runID: String?
        var runUUID: String?
        var key: String?
        var value: MLflowDouble?
        var timestamp: MLflowInt64?
        var step: MLflowInt64?
        enum CodingKeys: String, CodingKey {
            case key, value, timestamp, step
            case runID = "run_id"
            case runUUID = "run_uuid"
        }
    }

    /// `runs/log-parameter`, `runs/set-tag`, `runs/delete-tag` (no value).
    struct KeyValue: MLflowRequestBody {
        static let fields: Set<String> = ["run_id", "run_uuid", "key", "value"]
        var runID: String?
        var runUUID: String?
        var key: String?
        var value: String?
        enum CodingKeys: String, CodingKey {
            case key, value
            case runID = "run_id"
            case runUUID = "run_uuid"
        }
    }

    struct LogBatch: MLflowRequestBody {
        static func fast(_ bytes: UnsafeBufferPointer<UInt8>) -> LogBatch? { MLflowFastBodies.logBatch(bytes) }
        static let fields: Set<String> = ["run_id", "metrics", "params", "tags"]
        var runID: String?
        var metrics: [Metric]?
        var params: [MLflowTag]?
        var tags: [MLflowTag]?
        enum CodingKeys: String, CodingKey {
            case metrics, params, tags
            case runID = "run_id"
        }
    }

    struct Search: MLflowRequestBody {
        static let fields: Set<String> = ["experiment_ids", "filter", "run_view_type", "max_results", "order_by", "page_token"]
        var experimentIDs: [String]?
        var filter: String?
        var runViewType: String?
        var maxResults: Int64?
        var orderBy: [String]?
        var pageToken: String?
        enum CodingKeys: String, CodingKey {
            case filter
            case experimentIDs = "experiment_ids"
            case runViewType = "run_view_type"
            case maxResults = "max_results"
            case orderBy = "order_by"
            case pageToken = "page_token"
        }
    }

    struct LogInputs: MLflowRequestBody {
        static let fields: Set<String> = ["run_id", "datasets", "models"]
        var runID: String?
        var datasets: [DatasetInput]?
        enum CodingKeys: String, CodingKey {
            case datasets
            case runID = "run_id"
        }
    }

    struct DatasetInput: Decodable {
        var tags: [MLflowTag]?
        var dataset: Dataset?
    }

    struct Dataset: Decodable {
        var name: String?
        var digest: String?
        var sourceType: String?
        var source: String?
        var schema: String?
        var profile: String?
        enum CodingKeys: String, CodingKey {
            case name, digest, source, schema, profile
            case sourceType = "source_type"
        }
    }
}
