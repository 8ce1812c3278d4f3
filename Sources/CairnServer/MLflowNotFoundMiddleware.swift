import Hummingbird

/// A route MLflow's API does not have here is answered as MLflow's server answers it:
/// `ENDPOINT_NOT_FOUND` (404) in its JSON error shape, under `/api/` and `/ajax-api/`.
struct MLflowNotFoundMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            guard path.hasPrefix("/api/") || path.hasPrefix("/ajax-api/") else { throw error }
            throw MLflowError(.endpointNotFound, "No endpoint \(request.method) \(path) on this server")
        }
    }
}
