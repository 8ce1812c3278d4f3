import CairnCore
import CairnFormats

/// What Hydra writes of a job beside its config: the command-line overrides (`.hydra/overrides.yaml`,
/// a YAML list), and Hydra's own config (`.hydra/hydra.yaml`: the job's name, the overrides again).
struct HydraJobFiles: Equatable {
    var overrides: [String]?
    var jobName: String?

    /// Reads the `.hydra/*.yaml` files of a job that the layout's `tool_record` names.
    /// - Parameter paths: their absolute paths.
    /// - Returns: what they say, and one line per file that could not be read (`file:line:column`).
    static func read(_ paths: [String]) -> (files: HydraJobFiles, problems: [String]) {
        var files = HydraJobFiles()
        var problems: [String] = []
        for path in paths.sorted() {
            let name = Paths.lastComponent(path)
            guard name == "overrides.yaml" || name == "hydra.yaml" else { continue }
            do throws(CairnError) {
                let text = try FileSystem.readText(path)
                // Cairn's YAML reader takes a mapping at the top: the list is read as one key's value.
                let value = try ConfigFile.parse(name == "overrides.yaml" ? Self.listUnderKey(text) : text, fileName: path)
                if name == "overrides.yaml" {
                    guard case .list(let items)? = value.value(at: ["overrides"]) else {
                        problems.append("\(path): not a list of overrides")
                        continue
                    }
                    files.overrides = items.map { if case .string(let s) = $0 { s } else { $0.description } }
                } else {
                    if case .string(let job)? = value.value(at: ["hydra", "job", "name"]) { files.jobName = job }
                    if files.overrides == nil, case .list(let task)? = value.value(at: ["hydra", "overrides", "task"]) {
                        files.overrides = task.map { if case .string(let s) = $0 { s } else { $0.description } }
                    }
                }
            } catch {
                problems.append(error.message)
            }
        }
        return (files, problems)
    }

    /// A top-level YAML list as the value of the key `overrides` (its lines indented under it; an empty
    /// file, or `[]`, an empty list).
    static func listUnderKey(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) { return "overrides: []\n" }
        if lines.count <= 2, let first = lines.first, first.hasPrefix("[") { return "overrides: " + first + "\n" }
        return "overrides:\n" + lines.map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }

    /// Puts what the files say into an adopted run's record and tags.
    func apply(to record: inout RunRecord, tags: inout [String: String]) {
        if let overrides { record.configOverrides = overrides }
        if let jobName { tags["hydra.job"] = jobName }
    }

    /// The params with Hydra's (OmegaConf's) interpolations `${a.b}` replaced by the value of the param
    /// `a.b`, as the job saw its config; an interpolation of anything else (`${oc.env:HOME}`, a key
    /// that is not a param) is left as written.
    static func resolvingInterpolations(_ params: [String: String]) -> [String: String] {
        // Params hold each value's text as Cairn writes it: a string that needs quotes has them.
        let plain = params.mapValues(unquoted)
        var resolved = params
        for (key, value) in plain where value.contains("${") {
            resolved[key] = ConfigValue.string(resolve(value, in: plain, depth: 0)).description
        }
        return resolved
    }

    /// The text of a param without the double quotes (and `\"`, `\\` escapes) Cairn wrote it with.
    static func unquoted(_ text: String) -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        var out = ""
        var escaped = false
        for character in text.dropFirst().dropLast() {
            if escaped || character != "\\" {
                out.append(character)
                escaped = false
            } else {
                escaped = true
            }
        }
        return out
    }

    private static func resolve(_ text: String, in params: [String: String], depth: Int) -> String {
        guard depth < 8 else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let reference = String(rest[open.upperBound..<close])
            if let value = params[reference], !reference.contains(":") {
                out += resolve(value, in: params, depth: depth + 1)
            } else {
                out += rest[open.lowerBound...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
