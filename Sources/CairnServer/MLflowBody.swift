import Foundation
import Hummingbird

/// A request's JSON body, read as MLflow's server reads it: a body that is not JSON of the expected
/// shape, or that names a field the endpoint does not have, is an `INVALID_PARAMETER_VALUE`.
enum MLflowBody {
    /// The most a body may hold (a `log-batch` of 1,000 metrics is ~100 kB).
    static let limit = 16 << 20

    /// Decodes the body; a top-level key that is not one of `T.fields` is refused.
    static func decode<T: MLflowRequestBody>(_ type: T.Type, from request: Request, _ context: BasicRequestContext) async throws -> T {
        let fields = T.fields
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw MLflowError(.invalidParameterValue, "the request's body is larger than \(limit >> 20) MiB")
        }
        let bytes = buffer.readableBytesView
        if bytes.isEmpty, let empty = try? JSONDecoder().decode(T.self, from: Data("{}".utf8)) { return empty }
        // A fast reader takes only its endpoint's fields, so a body it read has no unknown one.
        if let fast = bytes.withContiguousStorageIfAvailable({ T.fast($0) }) ?? nil { return fast }
        let keys = bytes.withContiguousStorageIfAvailable { JSONTopLevelKeys.scan($0) } ?? JSONTopLevelKeys.scan(bytes)
        if let keys, let unknown = keys.first(where: { !fields.contains($0) }) {
            throw MLflowError(.invalidParameterValue, "Invalid field '\(unknown)' in the request's body: this endpoint takes \(fields.sorted().joined(separator: ", "))")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw MLflowError(.invalidParameterValue, "the request's body is not the JSON this endpoint takes: \(Self.describe(error))")
        }
    }

    /// A decoding error in one line: what was wrong, and where.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? "" : " at '\(path)'"
        }
        switch error {
        case .typeMismatch(let type, let context): return "expected \(type)\(path(context))"
        case .valueNotFound(let type, let context): return "missing \(type)\(path(context))"
        case .keyNotFound(let key, let context): return "missing '\(key.stringValue)'\(path(context))"
        case .dataCorrupted(let context): return context.debugDescription + path(context)
        @unknown default: return "\(error)"
        }
    }
}

/// A request body of MLflow's protocol: its type names every field the endpoint has (those Cairn
/// ignores included, such as `run_uuid`), so that any other is refused.
protocol MLflowRequestBody: Decodable {
    static var fields: Set<String> { get }
    /// The body read without `JSONDecoder` when it is a plain one (``MLflowFastBodies``); nil otherwise.
    static func fast(_ bytes: UnsafeBufferPointer<UInt8>) -> Self?
}

extension MLflowRequestBody {
    static func fast(_ bytes: UnsafeBufferPointer<UInt8>) -> Self? { nil }
}
