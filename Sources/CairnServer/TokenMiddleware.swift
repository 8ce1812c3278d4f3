import Foundation
import Hummingbird

/// With a token set, every request but `GET /health` must carry it: as a Bearer token (what MLflow's
/// client sends for `MLFLOW_TRACKING_TOKEN`) or as the password of HTTP basic auth (for
/// `MLFLOW_TRACKING_USERNAME`/`MLFLOW_TRACKING_PASSWORD`; any user name). Compared in constant time.
/// A request without it gets 401 in MLflow's error shape (`UNAUTHENTICATED`).
struct TokenMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let token: [UInt8]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/health" || presented(request).map(matches) == true {
            return try await next(request, context)
        }
        var json = JSONWriter()
        json.raw("{\"error_code\":\"UNAUTHENTICATED\",\"message\":")
        json.string("This server needs its token: set MLFLOW_TRACKING_TOKEN (or MLFLOW_TRACKING_PASSWORD) to the token given to cairn serve")
        json.raw("}")
        var response = json.response(status: .unauthorized)
        response.headers[.wwwAuthenticate] = "Bearer realm=\"cairn\", Basic realm=\"cairn\""
        return response
    }

    /// The token a request presents, if any.
    private func presented(_ request: Request) -> [UInt8]? {
        guard let header = request.headers[.authorization] else { return nil }
        if header.hasPrefix("Bearer ") { return Array(header.dropFirst(7).utf8) }
        if header.hasPrefix("Basic "), let decoded = Data(base64Encoded: String(header.dropFirst(6))),
           let colon = decoded.firstIndex(of: UInt8(ascii: ":")) {
            return Array(decoded[decoded.index(after: colon)...])
        }
        return nil
    }

    /// Equal to the token, in time that depends only on the lengths.
    private func matches(_ given: [UInt8]) -> Bool {
        var difference = UInt8(given.count == token.count ? 0 : 1)
        for index in 0..<token.count {
            difference |= token[index] ^ (index < given.count ? given[index] : 0)
        }
        return difference == 0
    }
}
