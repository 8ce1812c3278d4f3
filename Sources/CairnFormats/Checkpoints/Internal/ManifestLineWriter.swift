import CairnCore

/// Writes one manifest line: a compact JSON object, then `\n`.
struct ManifestLineWriter {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(256) }

    /// `{"event":"NAME"`.
    mutating func open(event: String) {
        bytes.append(UInt8(ascii: "{"))
        key("event", first: true)
        string(event)
    }

    /// `}` and the newline.
    mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        bytes.append(UInt8(ascii: "\n"))
    }

    mutating func field(_ name: StaticString, int value: Int) { key(name); int64(Int64(value)) }
    mutating func field(_ name: StaticString, int64 value: Int64) { key(name); int64(value) }
    mutating func field(_ name: StaticString, string value: String) { key(name); string(value) }
    mutating func field(_ name: StaticString, time: Timestamp) { key(name); string(time.iso8601) }

    mutating func field(_ name: StaticString, bool value: Bool) {
        key(name)
        bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8))
    }

    mutating func field(_ name: StaticString, strings: [String]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, item) in strings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(item)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Metrics as an object with sorted keys, so the same save always writes the same line.
    mutating func field(_ name: StaticString, metrics: [String: Double]) {
        key(name)
        bytes.append(UInt8(ascii: "{"))
        let keys = metrics.count > 1 ? metrics.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            : Array(metrics.keys)
        for (index, metric) in keys.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(metric)
            bytes.append(UInt8(ascii: ":"))
            double(metrics[metric] ?? .nan)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func field(_ name: StaticString, value: ConfigValue) { key(name); configValue(value) }

    private mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func int64(_ value: Int64) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Shortest round-trip digits; NaN and the infinities as the strings `"nan"`, `"inf"`, `"-inf"`.
    private mutating func double(_ value: Double) {
        if value.isNaN {
            string("nan")
        } else if value.isInfinite {
            string(value < 0 ? "-inf" : "inf")
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    private mutating func configValue(_ value: ConfigValue) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let b): bytes.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): int64(i)
        case .float(let d): double(d)
        case .string(let s): string(s)
        case .list(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                configValue(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .mapping(let mapping):
            bytes.append(UInt8(ascii: "{"))
            for (index, entry) in mapping.entries.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                string(entry.key)
                bytes.append(UInt8(ascii: ":"))
                configValue(entry.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON string: `"` and `\` escaped, control characters (and U+2028, U+2029) as escapes, the rest
    /// as UTF-8.
    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\""))
            case 0x5C: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "\\"))
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0x00..<0x20, 0x7F, 0x2028, 0x2029:
                let hex = Array("0123456789abcdef".utf8)
                let v = Int(scalar.value)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"),
                                          hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15], hex[v & 15]])
            case 0x20..<0x80:
                bytes.append(UInt8(scalar.value))
            default:
                bytes.append(contentsOf: UTF8.encode(scalar)!)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
