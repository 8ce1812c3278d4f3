import CairnCore
import Foundation
import CairnKit
import Hummingbird

/// MLflow's artifact proxy, `/api/2.0/mlflow-artifacts/artifacts/<experiment id>/<run id>/artifacts/<path>`,
/// on each run's `artifacts/` folder: `PUT` streams the body to disk (never held whole in memory) and
/// records its sha256 in the run's `artifacts.jsonl`; `GET` streams the file back; `GET …/artifacts?path=`
/// lists a folder, as MLflow does (base names, `is_dir`, `file_size`).
///
/// A path is percent-decoded once, then checked (``CairnCore/ArtifactPath``): `..`, absolute paths,
/// double encoding, backslashes, NUL and links leading out of the folder are all
/// `INVALID_PARAMETER_VALUE`.
struct MLflowArtifactRoutes: Sendable {
    let store: Store
    let writers: RunWriters

    func add(to router: Router<BasicRequestContext>) {
        for prefix in ["api/2.0/mlflow-artifacts", "ajax-api/2.0/mlflow-artifacts"] {
            let group = router.group(RouterPath(prefix))
            group.get("artifacts") { request, _ in try self.list(request) }
            group.get("artifacts/**") { request, context in try await self.download(request, context) }
            group.put("artifacts/**") { request, _ in try await self.upload(request) }
        }
    }

    /// A location under the proxy: a run and a path inside its artifacts folder (nil above it).
    private struct Location {
        var run: Run
        var path: ArtifactPath?
    }

    /// Reads `<experiment id>/<run id>/artifacts[/<path>]` (already decoded).
    private func locate(_ text: String) throws(MLflowError) -> Location {
        let parts = text.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw MLflowError(.invalidParameterValue, "Invalid artifact path '\(text)': it must start with EXPERIMENT_ID/RUN_ID/artifacts")
        }
        let run = try writers.run(parts[1])
        guard run.record.experimentID.description == parts[0] else {
            throw MLflowError(.resourceDoesNotExist, "Run with id=\(parts[1]) not found in experiment \(parts[0])")
        }
        if parts.count == 2 || (parts.count == 3 && parts[2].isEmpty) { return Location(run: run, path: nil) }
        guard parts[2] == "artifacts" else {
            throw MLflowError(.invalidParameterValue, "Invalid artifact path '\(text)': a run's artifacts are under EXPERIMENT_ID/RUN_ID/artifacts")
        }
        do {
            return Location(run: run, path: try ArtifactPath(parts.count == 4 ? parts[3] : ""))
        } catch {
            throw MLflowError(.invalidParameterValue, error.description)
        }
    }

    /// The part of the request's path after `/artifacts/`, percent-decoded once.
    private func pathText(_ request: Request) throws(MLflowError) -> String {
        let raw = request.uri.path
        guard let range = raw.range(of: "/mlflow-artifacts/artifacts/") else {
            throw MLflowError(.invalidParameterValue, "Invalid artifact path '\(raw)'")
        }
        guard let decoded = PercentDecoding.decode(raw[range.upperBound...]) else {
            throw MLflowError(.invalidParameterValue, "Invalid artifact path '\(raw)': bad percent-encoding or not UTF-8")
        }
        return decoded
    }

    private func upload(_ request: Request) async throws -> Response {
        let location = try locate(try pathText(request))
        guard let path = location.path, !path.components.isEmpty else {
            throw MLflowError(.invalidParameterValue, "Invalid artifact path: give a file's path under EXPERIMENT_ID/RUN_ID/artifacts/")
        }
        let upload: ArtifactUpload
        do { upload = try store.beginArtifact(location.run, at: path) } catch { throw MLflowError(error) }
        do {
            for try await buffer in request.body {
                try buffer.withUnsafeReadableBytesWithStorageManagement { (bytes, storage) throws(CairnError) in
                    try upload.write(bytes, keptAliveBy: storage.takeUnretainedValue())
                }
            }
            try upload.finish()
        } catch let error as CairnError {
            upload.abort()
            throw MLflowError(error)
        } catch {
            upload.abort()
            throw error
        }
        return MLflowRunRoutes.empty()
    }

    private func download(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let location = try locate(try pathText(request))
        guard let path = location.path else {
            throw MLflowError(.invalidParameterValue, "Invalid artifact path: give a file's path under EXPERIMENT_ID/RUN_ID/artifacts/")
        }
        let file: (path: String, bytes: Int64)
        do {
            file = try store.artifactFile(of: location.run, at: path)
        } catch where error.kind == .notFound {
            throw MLflowError(.resourceDoesNotExist, error.description)
        } catch {
            throw MLflowError(error)
        }
        let body = try await FileIO().loadFile(path: file.path, context: context)
        return Response(status: .ok, headers: [.contentType: "application/octet-stream", .contentLength: String(file.bytes)], body: body)
    }

    private func list(_ request: Request) throws(MLflowError) -> Response {
        let text = QueryParameters(request.uri.query)["path"] ?? ""
        var json = JSONWriter()
        json.raw("{\"files\":[")
        if !text.isEmpty {
            let location = try locate(text.hasSuffix("/") ? String(text.dropLast()) : text)
            if let path = location.path {
                let entries = try library { () throws(CairnError) in try store.listArtifacts(of: location.run, at: path) }
                for (index, entry) in entries.enumerated() {
                    json.comma(index == 0)
                    json.raw("{\"path\":")
                    json.string(String(entry.path.split(separator: "/").last ?? ""))
                    json.raw(",\"is_dir\":")
                    json.raw(entry.isDirectory ? "true" : "false")
                    if let bytes = entry.bytes {
                        json.raw(",\"file_size\":")
                        json.integer(bytes)
                    }
                    json.raw("}")
                }
            } else {
                json.raw("{\"path\":\"artifacts\",\"is_dir\":true}")
            }
        }
        json.raw("]}")
        return json.response()
    }
}
