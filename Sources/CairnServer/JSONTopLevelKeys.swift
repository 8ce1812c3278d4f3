/// The keys of a JSON object's top level, read without parsing the values (a scan of the bytes that
/// follows strings and nesting): how a request's unknown fields are found before it is decoded.
enum JSONTopLevelKeys {
    /// The keys, in order; nil when the bytes are not an object (the decoder then explains).
    static func scan(_ bytes: some Collection<UInt8>) -> [String]? {
        var keys: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var current: [UInt8] = []
        var expectingKey = false
        var sawObject = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                    if depth == 1 && expectingKey { current.append(byte) }
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                    if depth == 1 && expectingKey { current.append(byte) }
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 1 && expectingKey {
                        keys.append(String(decoding: current, as: UTF8.self))
                        expectingKey = false
                    }
                } else if depth == 1 && expectingKey {
                    current.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                current.removeAll(keepingCapacity: true)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 0 {
                    guard byte == UInt8(ascii: "{") else { return nil }
                    sawObject = true
                    expectingKey = true
                }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 1 { expectingKey = true }
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                break
            default:
                if depth == 0 { return nil }
            }
        }
        return sawObject ? keys : nil
    }
}
