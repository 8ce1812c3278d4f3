import CairnCore
import HTTPTypes
import Hummingbird

/// An error as MLflow's server answers it: `{"error_code": "...", "message": "..."}` with the HTTP status
/// its client expects for the code (docs: shared reference MLFLOW.md, *Errors the client depends on*).
struct MLflowError: HTTPResponseError {
    /// MLflow's error codes, by name.
    enum Code: String, Sendable {
        case resourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST"
        case resourceAlreadyExists = "RESOURCE_ALREADY_EXISTS"
        case invalidParameterValue = "INVALID_PARAMETER_VALUE"
        case invalidState = "INVALID_STATE"
        case endpointNotFound = "ENDPOINT_NOT_FOUND"
        case internalError = "INTERNAL_ERROR"
        /// The index's database cannot be reached now: the client retries (MLflow's client retries a 503).
        case temporarilyUnavailable = "TEMPORARILY_UNAVAILABLE"

        var status: HTTPResponse.Status {
            switch self {
            case .resourceDoesNotExist, .endpointNotFound: .notFound
            case .resourceAlreadyExists, .invalidParameterValue: .badRequest
            case .invalidState, .internalError: .internalServerError
            case .temporarilyUnavailable: .serviceUnavailable
            }
        }
    }

    let code: Code
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The MLflow error for a failure of the library: its kind decides the code, its message is kept.
    init(_ error: CairnError) {
        switch error.kind {
        case .notFound, .ambiguous: self.init(.resourceDoesNotExist, error.description)
        case .alreadyExists: self.init(.resourceAlreadyExists, error.description)
        case .invalidName, .invalidValue, .invalidConfig, .typeMismatch, .conflict: self.init(.invalidParameterValue, error.description)
        case .unavailable: self.init(.temporarilyUnavailable, error.description)
        default: self.init(.internalError, error.description)
        }
    }

    var status: HTTPResponse.Status { code.status }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter()
        json.raw("{\"error_code\":")
        json.string(code.rawValue)
        json.raw(",\"message\":")
        json.string(message)
        json.raw("}")
        return json.response(status: status)
    }
}
