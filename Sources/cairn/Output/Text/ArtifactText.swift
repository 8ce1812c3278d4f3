import CairnKit

/// Run artifacts as text.
enum ArtifactText {
    /// `PATH [ROLE] SIZE SHA256 TENSORS`.
    static func table(_ artifacts: [CairnAPI.Artifact]) -> String {
        if artifacts.isEmpty { return "No artifacts yet. Put one with 'cairn artifact put RUN FILE'." }
        let roles = artifacts.contains { $0.role != nil }
        var table = Table(roles ? ["PATH", "ROLE", "SIZE", "SHA256", "TENSORS"] : ["PATH", "SIZE", "SHA256", "TENSORS"])
        for artifact in artifacts {
            var row = [artifact.relativePath]
            if roles { row.append(role(artifact)) }
            let sha = artifact.sha256.map { String($0.prefix(12)) + (artifact.modified == true ? "*" : "") } ?? "-"
            row += [Formatting.bytes(artifact.bytes), sha, tensors(artifact)]
            table.add(row)
        }
        var text = table.text
        if artifacts.contains(where: { $0.modified == true }) { text += "\n* changed since it was recorded (its size differs)" }
        return text
    }

    /// One line per file written.
    static func written(_ artifacts: [CairnAPI.Artifact]) -> String {
        artifacts.map { artifact in
            let place = artifact.role.map { " (\($0))" } ?? ""
            return "\(artifact.relativePath)\(place): \(Formatting.bytes(artifact.bytes)), sha256 \(artifact.sha256.map { String($0.prefix(12)) } ?? "-")"
        }.joined(separator: "\n")
    }

    /// `embeddings split=val`.
    static func role(_ artifact: CairnAPI.Artifact) -> String {
        guard let role = artifact.role else { return "-" }
        let fields = (artifact.fields ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return ([role] + fields).joined(separator: " ")
    }

    /// `float32 (200, 16)` for one tensor; `safetensors: 5 tensors (float32, int64), 1234 elements` for several.
    static func tensors(_ artifact: CairnAPI.Artifact) -> String {
        guard let format = artifact.format, let entries = artifact.entries else { return "-" }
        if format == "tfevents" { return "tfevents: \(entries.count) \(entries.count == 1 ? "tag" : "tags")" }
        if entries.count == 1, let entry = entries.first { return "\(entry.dtype) \(shape(entry.shape))" }
        var dtypes: [String] = []
        for entry in entries where !dtypes.contains(entry.dtype) { dtypes.append(entry.dtype) }
        let elements = entries.reduce(0) { $0 + $1.elements }
        return "\(format): \(entries.count) tensors (\(dtypes.joined(separator: ", "))), \(elements) elements"
    }

    /// `(200, 16)`, `(3,)`, `()`.
    static func shape(_ shape: [Int]) -> String {
        "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
    }
}
