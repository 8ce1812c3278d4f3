import Glibc
import CairnCore

/// Values shared between the lines of one manifest, so that repeated ones are read once.
struct ManifestReadCache {
    var policy: ConfigMapping?
    var policyBytes: [UInt8] = []
    /// Metric names seen so far, so each is made into a string once.
    var metricNames: [(bytes: [UInt8], name: String)] = []

    /// True when `raw` holds the same bytes as ``policyBytes``.
    func matches(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        guard raw.count == policyBytes.count else { return false }
        if raw.isEmpty { return true }
        return policyBytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, raw.baseAddress!, raw.count) == 0 }
    }

    /// The string for a metric name's bytes, made once per distinct name (up to 64 names are remembered).
    mutating func metricName(_ key: ManifestKey) -> String {
        guard !key.isEscaped else { return key.text }
        let raw = key.bytes
        for cached in metricNames where cached.bytes.count == raw.count {
            if cached.bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, raw.baseAddress!, raw.count) == 0 }) {
                return cached.name
            }
        }
        let name = key.text
        if metricNames.count < 64 { metricNames.append((Array(raw), name)) }
        return name
    }
}
