import Foundation
import Hummingbird

/// A request's JSON body, read as MLflow's client sends it (unknown fields ignored); a body that is not
/// JSON of the expected shape is an `INVALID_PARAMETER_VALUE`.
enum MLflowBody {
    /// The most a body may hold (a `log-batch` of 1,000 metrics is ~100 kB).
    static let limit = 16 << 20

    static func decode<T: Decodable>(_ type: T.Type, from request: Request, _ context: BasicRequestContext) async throws -> T {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        let bytes = buffer.readableBytesView
        if bytes.isEmpty, let empty = try? JSONDecoder().decode(T.self, from: Data("{}".utf8)) { return empty }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw MLflowError(.invalidParameterValue, "the request's body is not the JSON this endpoint takes: \(error)")
        }
    }
}
