import CairnCore
import CairnKit
import Hummingbird

/// The files of a run the web UI shows, under `/api/cairn/v1/runs/RUN/`: `config` (its config snapshot as
/// text), `artifacts` (every artifact, as `cairn artifact ls --json` lists them) and `artifact?path=P`
/// (`&role=R` for a file a layout role places outside `artifacts/`), the file itself, streamed, as an
/// attachment.
struct CairnAPIRunFileRoutes: Sendable {
    let store: Store

    func add(to group: RouterGroup<BasicRequestContext>) {
        group.get("runs/{run}/config") { _, context in
            let run = try CairnAPIRoutes.run(context, in: store)
            let text = try CairnAPIRoutes.call { () throws(CairnError) in try store.configText(of: run) }
            guard let text else {
                throw CairnAPIError(CairnError(.notFound, "run \(run.id) has no config file", hint: "give --config (or --set) when creating a run"))
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        group.get("runs/{run}/artifacts") { _, context in
            let run = try CairnAPIRoutes.run(context, in: store)
            return try CairnAPIRoutes.json(try CairnAPIRoutes.call { () throws(CairnError) in try store.artifactListing(of: run) })
        }
        group.get("runs/{run}/artifact") { request, context in try await self.download(request, context) }
    }

    private func download(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let run = try CairnAPIRoutes.run(context, in: store)
        let query = QueryParameters(request.uri.query)
        let location = try CairnAPIRoutes.call { () throws(CairnError) -> ArtifactLocation in
            let path = try ArtifactPath(query["path"] ?? "")
            guard !path.components.isEmpty else { throw CairnError(.invalidValue, "no artifact path given", hint: "add ?path=PATH (from runs/RUN/artifacts)") }
            guard let roleName = query["role"], !roleName.isEmpty else { return ArtifactLocation(path) }
            guard let role = LayoutRole(rawValue: roleName) else {
                throw CairnError(.invalidValue, "'\(roleName)' is not a layout role", hint: "use the role runs/RUN/artifacts lists")
            }
            return ArtifactLocation(role: role, runPath: path)
        }
        let file = try CairnAPIRoutes.call { () throws(CairnError) in try store.artifactFile(of: run, at: location) }
        let body = try await FileIO().loadFile(path: file.path, context: context)
        let name = location.path.components.last ?? "artifact"
        return Response(status: .ok, headers: [.contentType: "application/octet-stream", .contentLength: String(file.bytes),
                                               .contentDisposition: Self.attachment(name)], body: body)
    }

    /// `attachment; filename*=UTF-8''NAME`, the name percent-encoded (RFC 6266, RFC 8187).
    static func attachment(_ name: String) -> String {
        var encoded = ""
        for byte in name.utf8 {
            let plain = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "-._~".utf8.contains(byte)
            encoded += plain ? String(UnicodeScalar(byte)) : "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }
        return "attachment; filename*=UTF-8''" + encoded
    }
}
