import CairnCore
import Hummingbird

/// An error of Cairn's own JSON API (`/api/cairn/v1/…`): `{"error": {"kind", "message", "hint"}}`, the
/// shape of the agent protocol's errors, with an HTTP status by kind (404 not found, 400 a bad value,
/// 409 a conflict, 500 otherwise).
struct CairnAPIError: HTTPResponseError {
    let error: CairnError

    init(_ error: CairnError) { self.error = error }

    var status: HTTPResponse.Status {
        switch error.kind {
        case .notFound, .storeNotFound: .notFound
        case .invalidName, .invalidValue, .invalidConfig, .typeMismatch, .ambiguous: .badRequest
        case .conflict, .alreadyExists, .busy: .conflict
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
        json.raw("}}")
        return json.response(status: status)
    }
}
