import CairnCore
import CairnFormats

/// The agent protocol's framing: one JSON object per line each way. A request is
/// `{"id": N, "op": "…", …}`; its answer `{"id": N, "ok": true, "result": …}` or
/// `{"id": N, "ok": false, "error": {"kind": "…", "message": "…", "hint": "…"}}`, in the order the
/// requests came on that connection. docs/FORMAT.md ("Agent protocol") lists the requests.
public enum AgentProtocol {
    /// The protocol's version: a client sends it in `hello`, the agent answers with its own.
    public static let version = 1

    /// The longest request line taken (a `log` batch of many points included).
    static let maximumLineBytes = 64 << 20

    /// One request line, read as JSON (Python's `NaN` and infinities taken).
    /// - Throws: `CairnError` of kind `.invalidValue` saying where the line is wrong.
    static func parse(_ line: [UInt8]) throws(CairnError) -> ConfigValue {
        let hint = "send one JSON object per line, as docs/FORMAT.md ('Agent protocol') describes"
        guard let text = String(validating: line, as: UTF8.self) else {
            throw CairnError(.invalidValue, "a request to the Cairn agent is not valid JSON: it is not UTF-8", hint: hint)
        }
        do {
            return try ConfigJSON.parse(text, fileName: "request", allowingNonFinite: true)
        } catch {
            throw CairnError(.invalidValue, "a request to the Cairn agent is not valid JSON (\(error.message))", hint: hint)
        }
    }

    /// The answer line to request `id` with an encoded `result`.
    static func success(id: ConfigValue, result: String) -> [UInt8] {
        Array("{\"id\":\(id.jsonText),\"ok\":true,\"result\":\(result)}\n".utf8)
    }

    /// The answer line to request `id` that failed with `error`.
    static func failure(id: ConfigValue, _ error: CairnError) -> [UInt8] {
        var fields = ["\"kind\":" + ConfigValue.string(error.kind.name).jsonText,
                      "\"message\":" + ConfigValue.string(error.messageWithCause).jsonText]
        fields.append("\"hint\":" + (error.hint.map { ConfigValue.string($0).jsonText } ?? "null"))
        return Array("{\"id\":\(id.jsonText),\"ok\":false,\"error\":{\(fields.joined(separator: ","))}}\n".utf8)
    }
}
