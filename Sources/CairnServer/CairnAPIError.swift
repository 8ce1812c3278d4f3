import CairnCore
import Hummingbird

/// An error of Cairn's own JSON API (`/api/cairn/v1/…`): `{"error": {"kind", "message", "hint"}}`, the
/// shape of the agent protocol's errors, with an HTTP status by kind (404 not found, 400 a bad value,
/// 409 a conflict, 503 when the index's database cannot be reached now, 500 otherwise).
struct CairnAPIError: HTTPResponseError {
    let error: CairnError
    /// For a filter or an ordering that does not parse: the column of its text where it fails, from 1.
    let column: Int?

    init(_ error: CairnError, column: Int? = nil) {
        self.error = error
        self.column = column
    }

    var status: HTTPResponse.Status {
        switch error.kind {
        case .notFound, .storeNotFound: .notFound
        case .invalidName, .invalidValue, .invalidConfig, .typeMismatch, .ambiguous: .badRequest
        case .conflict, .alreadyExists, .busy: .conflict
        case .unavailable: .serviceUnavailable
        default: .internalServerError
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var json = JSONWriter()
        json.raw("{\"error\":{\"kind\":")
        json.string(error.kind.name)
        json.raw(",\"message\":")
        json.string(error.message)
        json.raw(",\"hint\":")
        if let hint = error.hint { json.string(hint) } else { json.raw("null") }
        if let column {
            json.raw(",\"column\":")
            json.integer(Int64(column))
        }
        json.raw("}}")
        return json.response(status: status)
    }
}
