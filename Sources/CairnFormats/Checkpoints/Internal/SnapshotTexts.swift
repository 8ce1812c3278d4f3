import CairnCore

/// The paths, sha256 and metrics of a snapshot's entries, left in the snapshot's bytes and decoded when an
/// entry's text is read (``PackedCheckpointTexts``).
///
/// A slot is the payload offset of an entry's path; the sha256 and the metrics follow it, as
/// ``SnapshotEntryCoding`` writes them. ``SnapshotEntryCoding/read(from:context:)`` checks every slot
/// before it hands it out, so the reads here cannot run past the bytes. One instance serves one chunk of
/// entries, so that the threads decoding chunks never retain the same object.
final class SnapshotTexts: PackedCheckpointTexts {
    private let bytes: [UInt8]
    private let payloadOffset: Int
    private let metricKeySets: [[String]]

    init(bytes: [UInt8], payloadOffset: Int, metricKeySets: [[String]]) {
        self.bytes = bytes
        self.payloadOffset = payloadOffset
        self.metricKeySets = metricKeySets
    }

    func path(at slot: Int) -> String {
        read(slot) { (reader: inout SnapshotReader) throws(SnapshotReadError) in try reader.inline() } ?? ""
    }

    func sha256(at slot: Int) -> String {
        read(slot) { (reader: inout SnapshotReader) throws(SnapshotReadError) in
            try reader.skipInline()
            return try reader.sha256()
        } ?? ""
    }

    func metrics(at slot: Int) -> [String: Double] {
        read(slot) { (reader: inout SnapshotReader) throws(SnapshotReadError) in
            let keys = try keySet(&reader)
            var metrics = [String: Double](minimumCapacity: keys.count)
            for key in keys { metrics[key] = try reader.double() }
            return metrics
        } ?? [:]
    }

    func metric(_ name: String, at slot: Int) -> Double? {
        read(slot) { (reader: inout SnapshotReader) throws(SnapshotReadError) -> Double? in
            let keys = try keySet(&reader)
            guard let position = keys.firstIndex(of: name) else { return nil }
            try reader.skip(position * 8)
            return try reader.double()
        } ?? nil
    }

    /// Skips the path and sha256 and reads the index of the metrics' set of names.
    private func keySet(_ reader: inout SnapshotReader) throws(SnapshotReadError) -> [String] {
        try reader.skipInline()
        try reader.skipSHA256()
        return metricKeySets[try reader.index(below: metricKeySets.count)]
    }

    private func read<T>(_ slot: Int, _ body: (inout SnapshotReader) throws(SnapshotReadError) -> T) -> T? {
        bytes.withUnsafeBytes { raw in
            var reader = SnapshotReader(UnsafeRawBufferPointer(rebasing: raw[payloadOffset...]), position: slot)
            do throws(SnapshotReadError) { return try body(&reader) } catch { return nil }
        }
    }
}
