import Foundation
import Testing
import CairnTestSupport

/// The `--json` outputs of the CLI compared with golden files (`Tests/CairnCLITests/Golden/NAME.json`),
/// after the values that change from run to run are replaced by placeholders: run ids (`$RUN1`,
/// `$RUN2`… in order of first appearance), times, durations, temporary folders, the host, user, pid and
/// the binary's path. A changed shape fails the test with both texts; review the change, document it
/// in docs/FORMAT.md (*JSON output*), and rewrite the files with `CAIRN_UPDATE_GOLDEN=1 swift test`.
final class GoldenJSON {
    private var runIDs: [String: String] = [:]
    /// Literal texts to replace (a temporary folder → `$STORE`), longest first.
    private var literals: [(String, String)] = []
    /// Keys whose numeric values are replaced by `"$NUMBER"` (values that depend on floating point),
    /// whose string values are replaced by `"$TEXT"`, and whose objects' values are all replaced.
    var volatileNumbers: Set<String> = []
    var volatileStrings: Set<String> = []
    var volatileObjects: Set<String> = []
    private var patterns: [(NSRegularExpression, String)] = []

    static let folder = PackagePaths.root.appendingPathComponent("Tests/CairnCLITests/Golden")
    private static let runID = try! NSRegularExpression(pattern: "\\d{8}-\\d{6}-\\d{3}-[0-9a-z]{4}")
    private static let time = try! NSRegularExpression(pattern: "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z")
    private static let eventFile = try! NSRegularExpression(pattern: "events\\.out\\.tfevents\\.\\d+\\.[^/\"]+\\.\\d+\\.\\d+")

    /// Replaces `text` (e.g. a temporary folder) by `placeholder` wherever it appears.
    func replace(_ text: String, with placeholder: String) {
        literals.append((text, placeholder))
        literals.sort { $0.0.count > $1.0.count }
    }

    /// Replaces every match of a regular expression by `placeholder`.
    func replace(pattern: String, with placeholder: String) throws {
        patterns.append((try NSRegularExpression(pattern: pattern), placeholder))
    }

    /// Checks one JSON document (or, with `lines`, JSON Lines) against its golden file.
    func check(_ name: String, _ output: String, lines: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let normalized: String
        if lines {
            normalized = try output.split(separator: "\n").map { try normalizeDocument(String($0), pretty: false) }.joined(separator: "\n") + "\n"
        } else {
            normalized = try normalizeDocument(output) + "\n"
        }
        let file = Self.folder.appendingPathComponent(name + (lines ? ".jsonl" : ".json"))
        if ProcessInfo.processInfo.environment["CAIRN_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try normalized.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let golden = (try? String(contentsOf: file, encoding: .utf8)) ?? "(no golden file \(file.lastPathComponent))"
        #expect(normalized == golden, "\(name): the JSON shape changed; review, document in FORMAT.md, then CAIRN_UPDATE_GOLDEN=1.\n--- now:\n\(normalized)--- golden:\n\(golden)",
                sourceLocation: sourceLocation)
    }

    private func normalizeDocument(_ text: String, pretty: Bool = true) throws -> String {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        let data = try JSONSerialization.data(withJSONObject: normalize(value, key: nil),
                                              options: pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]
                                                                     : [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }

    private func normalize(_ value: Any, key: String?) -> Any {
        switch value {
        case let object as [String: Any] where key.map(volatileObjects.contains) == true:
            return object.mapValues { _ in "$VALUE" }
        case let object as [String: Any]:
            var out: [String: Any] = [:]
            // Sorted, so run ids are numbered in the same order every time.
            for (k, v) in object.sorted(by: { $0.key < $1.key }) { out[normalizeText(k)] = normalize(v, key: k) }
            return out
        case let array as [Any]:
            if key == "command" { return ["$COMMAND"] }
            return array.map { normalize($0, key: key) }
        case let string as String:
            switch key {
            case "host": return "$HOST"
            case "user": return "$USER"
            case "working_directory": return "$CWD"
            case let k? where volatileStrings.contains(k): return "$TEXT"
            default: return normalizeText(string)
            }
        case is NSNumber:
            // Only keys that never hold a boolean are replaced.
            switch key {
            case "pid": return "$PID"
            case "duration_seconds": return "$DURATION"
            case let k? where volatileNumbers.contains(k): return "$NUMBER"
            default: return value
            }
        default:
            return value
        }
    }

    private func normalizeText(_ string: String) -> String {
        var text = string
        for (literal, placeholder) in literals { text = text.replacingOccurrences(of: literal, with: placeholder) }
        for (pattern, placeholder) in patterns { text = Self.replace(pattern, in: text) { _ in placeholder } }
        text = Self.replace(Self.time, in: text) { _ in "$TIME" }
        text = Self.replace(Self.eventFile, in: text) { _ in "events.out.tfevents.$TIME.$HOST.$PID.$N" }
        text = Self.replace(Self.runID, in: text) { id in
            if let known = runIDs[id] { return known }
            let placeholder = "$RUN\(runIDs.count + 1)"
            runIDs[id] = placeholder
            return placeholder
        }
        return text
    }

    private static func replace(_ pattern: NSRegularExpression, in text: String, with make: (String) -> String) -> String {
        let matches = pattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        var result = text
        for match in matches.reversed() {
            let range = Range(match.range, in: result)!
            result.replaceSubrange(range, with: make(String(result[range])))
        }
        return result
    }
}
