import CairnCore

/// The agent protocol's framing: one JSON object per line each way. A request is
/// `{"id": N, "op": "…", …}`; its answer `{"id": N, "ok": true, "result": …}` or
/// `{"id": N, "ok": false, "error": {"kind": "…", "message": "…", "hint": "…"}}`, in the order the
/// requests came on that connection. docs/FORMAT.md ("Agent protocol") lists the requests.
public enum AgentProtocol {
    /// The protocol's version: a client sends it in `hello`, the agent answers with its own.
    public static let version = 1

    /// The longest request line taken (a `log` batch of many points included).
    static let maximumLineBytes = 64 << 20

    /// The answer line to request `id` with an encoded `result`.
    static func success(id: AgentValue, result: String) -> [UInt8] {
        Array("{\"id\":\(id.jsonText),\"ok\":true,\"result\":\(result)}\n".utf8)
    }

    /// The answer line to request `id` that failed with `error`.
    static func failure(id: AgentValue, _ error: CairnError) -> [UInt8] {
        var fields = ["\"kind\":" + AgentValue.string(error.kind.name).jsonText,
                      "\"message\":" + AgentValue.string(error.messageWithCause).jsonText]
        fields.append("\"hint\":" + (error.hint.map { AgentValue.string($0).jsonText } ?? "null"))
        return Array("{\"id\":\(id.jsonText),\"ok\":false,\"error\":{\(fields.joined(separator: ","))}}\n".utf8)
    }
}
