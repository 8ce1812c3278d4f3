import CairnCore
import Hummingbird

/// An experiment as MLflow's REST API shows it.
struct MLflowExperiment: Codable, Sendable {
    var experimentID: String
    var name: String
    var artifactLocation: String
    var lifecycleStage: String
    var creationTime: Int64
    var lastUpdateTime: Int64
    var tags: [MLflowTag]

    enum CodingKeys: String, CodingKey {
        case name, tags
        case experimentID = "experiment_id"
        case artifactLocation = "artifact_location"
        case lifecycleStage = "lifecycle_stage"
        case creationTime = "creation_time"
        case lastUpdateTime = "last_update_time"
    }

    /// A Cairn experiment: its id and grouped name as they are; artifacts through the server's proxy.
    init(_ record: ExperimentRecord) {
        experimentID = record.id.description
        name = record.name.description
        artifactLocation = "mlflow-artifacts:/\(record.id)"
        lifecycleStage = record.isDeleted ? "deleted" : "active"
        creationTime = record.createdAt.millisecondsSinceEpoch
        lastUpdateTime = (record.updatedAt ?? record.createdAt).millisecondsSinceEpoch
        tags = (record.tags ?? [:]).sorted { $0.key < $1.key }.map { MLflowTag(key: $0.key, value: $0.value) }
    }
}

/// A key and a value (MLflow's tags and params).
struct MLflowTag: Codable, Sendable {
    var key: String
    var value: String
}

/// `{"experiment": …}`.
struct MLflowExperimentAnswer: ResponseEncodable {
    var experiment: MLflowExperiment
}

/// `{"experiment_id": …}`.
struct MLflowCreatedExperiment: ResponseEncodable {
    var experimentID: String
    enum CodingKeys: String, CodingKey { case experimentID = "experiment_id" }
}

/// `{"experiments": […], "next_page_token": …}`.
struct MLflowExperimentPage: ResponseEncodable {
    var experiments: [MLflowExperiment]
    var nextPageToken: String?
    enum CodingKeys: String, CodingKey {
        case experiments
        case nextPageToken = "next_page_token"
    }
}
