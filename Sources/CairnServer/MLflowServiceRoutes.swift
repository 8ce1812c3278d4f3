import Hummingbird

/// What the MLflow client asks on its own: `GET /api/3.0/mlflow/server-info` (which features this
/// server has: no multipart or presigned artifact transfers, no workspaces) and the searches of
/// logged models and traces that `list_artifacts` and friends make — answered empty and well formed,
/// since Cairn keeps neither.
enum MLflowServiceRoutes {
    static func add(to router: Router<BasicRequestContext>) {
        for prefix in ["api/3.0/mlflow", "ajax-api/3.0/mlflow"] {
            let group = router.group(RouterPath(prefix))
            group.get("server-info") { _, _ in json(serverInfo) }
            group.post("traces/search") { _, _ in json("{\"traces\":[]}") }
        }
        for prefix in ["api/2.0/mlflow", "ajax-api/2.0/mlflow"] {
            let group = router.group(RouterPath(prefix))
            group.post("logged-models/search") { _, _ in json("{\"models\":[]}") }
            group.get("traces") { _, _ in json("{\"traces\":[]}") }
        }
    }

    static let serverInfo = """
        {"store_type":null,"workspaces_enabled":false,"trace_archival_enabled":false,\
        "multipart_uploads_enabled":false,"multipart_downloads_enabled":false,\
        "presigned_upload_run_id_supported":false,"presigned_upload_model_id_supported":false,\
        "features_enabled":{"gateway":false}}
        """

    static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
