import CairnCore

/// The line format of a run's checkpoint manifest: one ``ManifestEvent`` per line, as a compact JSON
/// object ending in `\n` (JSON Lines).
///
/// Field names are snake_case; `event` names the kind of event (`begin`, `commit`, `abort`, `prune`,
/// `verify`, `pointer`) and comes first. Times are ISO 8601 UTC with milliseconds; metrics are JSON
/// numbers with Swift's shortest round-trip digits, NaN and the infinities written as the strings
/// `"nan"`, `"inf"` and `"-inf"`. Readers skip unknown fields and unknown events, so later versions may
/// add both. See `docs/FORMAT.md` for the full specification.
///
/// The codec is hand-written for speed (100,000 lines decode in a few milliseconds); it does not use
/// Foundation.
public enum ManifestCodec {
    /// One event as one line, with its trailing `\n`.
    /// - Parameter event: the event.
    /// - Returns: the line's UTF-8 bytes.
    public static func encode(_ event: ManifestEvent) -> [UInt8] {
        var writer = ManifestLineWriter()
        writer.open(event: event.name)
        switch event {
        case .begin(let e):
            writer.field("time", time: e.time)
            writer.field("seq", int: e.seq)
            writer.field("path", string: e.path)
            writer.field("kind", string: e.kind.rawValue)
            if let epoch = e.epoch { writer.field("epoch", int: epoch) }
            if let step = e.step { writer.field("step", int: step) }
            writer.field("metrics", metrics: e.metrics)
            writer.field("bytes", int64: e.bytes)
            writer.field("sha256", string: e.sha256)
            if let files = e.files { writer.field("files", strings: files) }
            if let replaces = e.replaces { writer.field("replaces", int: replaces) }
        case .commit(let e):
            writer.field("time", time: e.time)
            writer.field("seq", int: e.seq)
            if let policy = e.policy { writer.field("policy", value: .mapping(policy)) }
            writer.field("decision", string: e.decision)
        case .abort(let e):
            writer.field("time", time: e.time)
            writer.field("seq", int: e.seq)
            writer.field("reason", string: e.reason)
        case .prune(let e):
            writer.field("time", time: e.time)
            writer.field("seq", int: e.seq)
            writer.field("reason", string: e.reason)
        case .verify(let e):
            writer.field("time", time: e.time)
            writer.field("seq", int: e.seq)
            writer.field("sha256", string: e.sha256)
            writer.field("ok", bool: e.ok)
        case .pointer(let e):
            writer.field("time", time: e.time)
            writer.field("name", string: e.name)
            writer.field("seq", int: e.seq)
            writer.field("path", string: e.path)
            writer.field("mechanism", string: e.mechanism)
        }
        writer.close()
        return writer.bytes
    }

    /// Several events as consecutive lines.
    /// - Parameter events: the events, in order.
    /// - Returns: the lines' UTF-8 bytes.
    public static func encode(_ events: [ManifestEvent]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(events.count * 200)
        for event in events { out += encode(event) }
        return out
    }

    /// Reads a manifest's events.
    ///
    /// A last line without its `\n`, or a last line that is not a valid event, is a torn tail (a write
    /// interrupted by a crash): it is reported, not thrown, and `validBytes` is where a writer should
    /// truncate the file to before appending. Blank lines, unknown fields and events with unknown names are
    /// skipped.
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - path: the file's path, used in errors.
    /// - Returns: the events in order, the length of the valid prefix, and whether a torn tail follows it.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/corrupt`` naming the path and line when a line
    ///   that is not the last is not a manifest event.
    public static func decode(_ bytes: [UInt8], path: String) throws(CairnError)
        -> (events: [ManifestEvent], validBytes: Int, tornTail: Bool) {
        let outcome = bytes.withUnsafeBufferPointer { buffer in ManifestDecoder(buffer).run() }
        if let failure = outcome.failure {
            throw CairnError(.corrupt, "'\(path)' line \(failure.line) is not a manifest event",
                             hint: "a manifest is only appended to, so a bad line before the last means the file was edited or damaged; restore it from a copy or remove that line",
                             cause: failure.problem)
        }
        return (outcome.events, outcome.validBytes, outcome.tornTail)
    }
}
