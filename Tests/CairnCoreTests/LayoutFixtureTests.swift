import CairnCore
import CairnTestSupport
import Foundation
import Testing

/// Every built-in seed layout against the example trees of `shared/fixtures/layouts/example`: each file the
/// manifest lists is split into its run folder and the path inside it, matched with the role its manifest
/// entry implies, and the fields the manifest lists are compared with what the layout recovers.
@Suite("Layout fixtures")
struct LayoutFixtureTests {
    static let conventions = ["prompt-tree", "run-dirs", "pretrain-finetune", "typed-folders", "model-type-experiments"]

    /// Manifest keys → layout field names, per convention (where they differ from the key).
    static let renamed: [String: [String: String]] = [
        "run-dirs": ["experiment_name": "experiment", "run_started": "start"],
        "model-type-experiments": ["experiment_name": "name"],
    ]
    static let comparedKeys = ["arch", "exp_tag", "train_prompt_id", "val_prompt_id", "epoch", "step", "score",
                               "experiment_name", "run_started", "model_type", "name", "split", "kind"]

    static func manifest() throws -> [String: Any] {
        let url = PackagePaths.shared.appendingPathComponent("fixtures/layouts/example/MANIFEST.json")
        let data = try Data(contentsOf: url)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The role a manifest entry's path has inside its run folder, or nil for files no role names.
    static func role(_ entry: [String: Any], convention: String) -> LayoutRole? {
        let fields = entry["fields"] as? [String: Any] ?? [:]
        let kind = fields["kind"] as? String
        let role = entry["role"] as? String
        if convention == "typed-folders" || role == "checkpoint" {
            switch kind {
            case "epoch_step", "epoch": return .checkpoint
            case "best": return .best
            case "last", "latest", "final": return .last
            case "best_score": return .bestScore
            case "average": return .average
            default: return nil
            }
        }
        return role.flatMap(LayoutRole.init(rawValue:))
    }

    @Test(arguments: conventions)
    func layoutRecoversManifestFields(_ convention: String) throws {
        let layout = try #require(BuiltinLayouts.named(convention))
        let conventions = try #require(try Self.manifest()["conventions"] as? [String: Any])
        let files = try #require((conventions[convention] as? [String: Any])?["files"] as? [[String: Any]])
        var checked = 0
        for entry in files {
            let path = try #require(entry["path"] as? String)
            let manifestFields = entry["fields"] as? [String: Any] ?? [:]
            let components = path.split(separator: "/").map(String.init)
            // The run folder: the shortest prefix the run template matches under which the role
            // explains the rest (as the recognizer finds it).
            let role = Self.role(entry, convention: convention)
            func rest(after folder: String) -> String {
                let rest = String(path.dropFirst(folder.count + 1))
                return convention == "typed-folders" ? String(rest.split(separator: "/")[0]) : rest  // folder checkpoints
            }
            let candidates = (1..<components.count).compactMap { count -> (String, LayoutFields)? in
                let prefix = components.prefix(count).joined(separator: "/")
                return layout.match(.run, prefix).map { (prefix, $0) }
            }
            let explained = candidates.first { candidate in
                guard let role else { return true }
                return layout.match(role, rest(after: candidate.0)) != nil
            }
            guard let (runFolder, runFields) = explained ?? candidates.first else {
                #expect(["template", "readme"].contains(entry["role"] as? String), "no run folder for \(path)")
                continue
            }
            guard let role else {
                Issue.record("no role for \(path)")
                continue
            }
            let rest = rest(after: runFolder)
            let roleFields = try #require(layout.match(role, rest), "\(convention): \(rest) is not a \(role) path")
            #expect(try layout.render(role, roleFields) == rest)
            #expect(try layout.render(.run, runFields) == runFolder)
            #expect(runFolder.hasPrefix(try layout.render(.experiment, runFields)))

            // Fields both templates give must agree (a log's partial start time with the run's start).
            for name in runFields.names {
                guard let other = roleFields[name], let mine = runFields[name] else { continue }
                if let a = mine.timeComponents, let b = other.timeComponents {
                    #expect(a.agrees(with: b), "\(path): \(name) \(a) vs \(b)")
                } else {
                    #expect(mine == other, "\(path): \(name)")
                }
            }
            let fields = roleFields.merging(runFields)
            let uses = Set(layout.template(.run)!.fieldNames + layout.template(role)!.fieldNames)
            for key in Self.comparedKeys {
                guard let expected = manifestFields[key], !(expected is NSNull) else { continue }
                if key == "kind" && !["config", "metrics"].contains(entry["role"] as? String) { continue }
                let name = Self.renamed[convention]?[key] ?? key
                guard uses.contains(name) else { continue }
                let value = try #require(fields[name], "\(path): no \(name)")
                switch expected {
                case let text as String where key == "run_started":
                    #expect(value.timeValue?.iso8601 == text + "Z", "\(path)")
                case let text as String:
                    #expect(value.stringValue == text, "\(path): \(name)")
                case let number as NSNumber where key == "score":
                    #expect(value.doubleValue == number.doubleValue, "\(path)")
                    #expect(value.stringValue == manifestFields["score_text"] as? String, "\(path)")
                case let number as NSNumber:
                    #expect(value.intValue == number.intValue, "\(path): \(name)")
                default:
                    Issue.record("unexpected manifest value for \(key) in \(path)")
                }
                checked += 1
            }
            if let runID = manifestFields["run_id"] as? String {
                #expect(runFolder.split(separator: "/").last.map(String.init) == runID)
            }
        }
        #expect(checked > 20, "only \(checked) fields checked")
    }

    /// The experiment name each convention's example tree implies parses with `experiment_name`.
    @Test(arguments: [("prompt-tree", "vit_b16/baseline", "checkpoints/vit_b16/baseline"),
                      ("run-dirs", "yolox_s_coco", "checkpoints/yolox_s_coco"),
                      ("pretrain-finetune", "pretraining/mlm_small", "experiments/pretraining/mlm_small"),
                      ("typed-folders", "vision", "checkpoints/vision"),
                      ("model-type-experiments", "vae/baseline", "experiments/vae/baseline")])
    func experimentFolders(_ convention: String, _ name: String, _ folder: String) throws {
        let layout = try #require(BuiltinLayouts.named(convention))
        let fields = try layout.experimentFields(for: ExperimentName(name))
        #expect(try layout.render(.experiment, fields) == folder)
        let onDisk = PackagePaths.shared.appendingPathComponent("fixtures/layouts/example/\(convention)/\(folder)")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: onDisk.path, isDirectory: &isDirectory) && isDirectory.boolValue)
    }
}
