import CairnCore

/// Appends the little-endian fields of a manifest snapshot to a byte buffer, interning repeated strings.
struct SnapshotWriter {
    private(set) var bytes: [UInt8] = []
    /// Strings written by index (metric names, decisions, reasons, pointer fields), in order of first use.
    private(set) var strings: [String] = []
    private var stringIndex: [String: UInt32] = [:]
    /// Distinct policies by index, in order of first use.
    private(set) var policies: [ConfigMapping] = []
    /// Distinct sets of metric names (sorted), by index, in order of first use.
    private(set) var metricKeySets: [[String]] = []
    private var metricKeySetIndex: [[String]: UInt32] = [:]

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }
    mutating func int(_ value: Int) { i64(Int64(value)) }
    mutating func double(_ value: Double) { u64(value.bitPattern) }
    mutating func count(_ value: Int) { u32(UInt32(clamping: value)) }

    /// A string written in place: its UTF-8 length, then its bytes.
    mutating func inline(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            count(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    /// A sha256: a tag, then the 32 bytes of a lowercase hex digest (tag 1), nothing for an empty one (0),
    /// or any other text in place (2).
    mutating func sha256(_ text: String) {
        if text.isEmpty { return u8(0) }
        if let digest = Self.lowercaseHexDigest(text) {
            u8(1)
            bytes.append(contentsOf: digest)
        } else {
            u8(2)
            inline(text)
        }
    }

    /// The 32 bytes a 64-character lowercase hex text spells, else nil.
    private static func lowercaseHexDigest(_ text: String) -> [UInt8]? {
        guard text.utf8.count == 64 else { return nil }
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        var high: UInt8?
        for byte in text.utf8 {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            if let h = high {
                digest.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return digest
    }

    /// A string written as its index in the string table.
    mutating func interned(_ text: String) {
        if let index = stringIndex[text] { return u32(index) }
        let index = UInt32(strings.count)
        strings.append(text)
        stringIndex[text] = index
        u32(index)
    }

    /// A policy written as its index in the policy table.
    mutating func policy(_ mapping: ConfigMapping) {
        if let last = policies.indices.last, policies[last] == mapping { return count(last) }
        // Runs record few distinct policies; past 256 of them, stop searching and store each one.
        if policies.count <= 256, let index = policies.lastIndex(of: mapping) { return count(index) }
        policies.append(mapping)
        count(policies.count - 1)
    }

    /// Metrics: the index of their (sorted) set of names, then the values in that order.
    mutating func metrics(_ metrics: [String: Double]) {
        let keys = metrics.count > 1 ? metrics.keys.sorted() : Array(metrics.keys)
        if let index = metricKeySetIndex[keys] {
            u32(index)
        } else {
            let index = UInt32(metricKeySets.count)
            metricKeySets.append(keys)
            metricKeySetIndex[keys] = index
            u32(index)
        }
        for key in keys { double(metrics[key]!) }
    }

    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    /// Any config value: a tag byte, then its payload.
    mutating func configValue(_ value: ConfigValue) {
        switch value {
        case .null: u8(0)
        case .bool(let b): u8(b ? 2 : 1)
        case .int(let i): u8(3); i64(i)
        case .float(let d): u8(4); double(d)
        case .string(let s): u8(5); inline(s)
        case .list(let items):
            u8(6)
            count(items.count)
            for item in items { configValue(item) }
        case .mapping(let mapping):
            u8(7)
            count(mapping.count)
            for entry in mapping.entries {
                inline(entry.key)
                configValue(entry.value)
            }
        }
    }
}
