extension AgentValue {
    /// The value as compact JSON text (numbers as sent, so `NaN` stays `NaN`).
    public var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text): return text
        case .string(let text):
            var out = [UInt8]()
            RecordJSONEncoder.writeString(text, to: &out)
            return String(decoding: out, as: UTF8.self)
        case .array(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { AgentValue.string($0.key).jsonText + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }
    }
}
