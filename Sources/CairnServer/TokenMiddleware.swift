import Foundation
import Hummingbird

/// With a token set, every request but `GET /health` must carry it: as a Bearer token (what MLflow's
/// client sends for `MLFLOW_TRACKING_TOKEN`) or as the password of HTTP basic auth (for
/// `MLFLOW_TRACKING_USERNAME`/`MLFLOW_TRACKING_PASSWORD`; any user name), or the web UI's session
/// cookie (``SessionCookie``). Compared in constant time. The login page and the files it needs are
/// public. A page of the UI asked for without it is redirected to the login page; any other request
/// gets 401 in MLflow's error shape (`UNAUTHENTICATED`).
struct TokenMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let token: [UInt8]
    let session: SessionCookie

    init(token: String) {
        self.token = Array(token.utf8)
        session = SessionCookie(token: token)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path == "/health" || WebUIRoutes.isPublic(path) || presented(request).map({ Self.equal($0, token) }) == true
            || SessionCookie.presented(request).map({ Self.equal($0, session.value) }) == true {
            return try await next(request, context)
        }
        if request.method == .get, WebUIRoutes.isPage(path) {
            return Response(status: .seeOther, headers: [.location: "/login"])
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

    /// Whether `given` equals `expected`, in time that depends only on the lengths.
    static func equal(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in 0..<expected.count {
            difference |= expected[index] ^ (index < given.count ? given[index] : 0)
        }
        return difference == 0
    }
}
