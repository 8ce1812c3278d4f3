import CairnCore
import CairnFormats
import Logging

/// Reads a layout's ``ContentField``s from the JSON files inside a folder checkpoint.
enum ContentFieldReader {
    /// The fields `layout` reads from the folder at `folder` (absolute); fields whose file is missing
    /// (or over 16 MiB) or lacks the key are left out. A file that is there but cannot be read or is not
    /// a JSON object is left out too, and noted in `unusable`, whose caller warns once for all of them:
    /// the checkpoint then lacks those fields.
    static func fields(_ layout: Layout, folder: String, unusable files: inout UnusableContentFiles) -> LayoutFields {
        var out = LayoutFields()
        var parsed: [String: ConfigMapping] = [:]
        var unusable = Set<String>()
        for content in layout.contentFields where !unusable.contains(content.file) {
            if parsed[content.file] == nil {
                let path = Paths.join(folder, content.file)
                guard FileSystem.fileSize(path).map({ $0 <= 16 << 20 }) == true else { continue }
                do throws(CairnError) {
                    guard case .mapping(let mapping) = try ConfigJSON.parse(try FileSystem.readText(path), fileName: path) else {
                        throw CairnError(.invalidConfig, "'\(path)' is not a JSON object")
                    }
                    parsed[content.file] = mapping
                } catch {
                    unusable.insert(content.file)
                    files.note(path, error)
                    continue
                }
            }
            switch parsed[content.file]?[content.key] {
            case .string(let s)?: out[content.field] = .string(s)
            case .int(let i)?: out[content.field] = .int(Int(i))
            case .float(let d)?:
                if d.isFinite, d.rounded(.down) == d, let i = Int(exactly: d) { out[content.field] = .int(i) } else { out[content.field] = .float(d, text: nil) }
            default: continue
            }
        }
        return out
    }

    /// Why the folder checkpoint at `folder` gives no `field` though `layout` reads it from a file inside
    /// it (`its config.json has no 'model_type'`), or nil when the layout reads no such field.
    static func whyMissing(_ layout: Layout, field: String, folder: String) -> String? {
        guard let content = layout.contentFields.first(where: { $0.field == field }) else { return nil }
        let path = Paths.join(folder, content.file)
        guard FileSystem.exists(path) else { return "it has no \(content.file) to read it from" }
        guard FileSystem.fileSize(path).map({ $0 <= 16 << 20 }) == true else { return "its \(content.file) is over 16 MiB and not read" }
        let mapping: ConfigMapping
        do throws(CairnError) {
            guard case .mapping(let object) = try ConfigJSON.parse(try FileSystem.readText(path), fileName: path) else {
                return "its \(content.file) is not a JSON object"
            }
            mapping = object
        } catch {
            return "its \(content.file) cannot be read as JSON"
        }
        switch mapping[content.key] {
        case nil, .null?: return "its \(content.file) has no '\(content.key)'"
        case .string?, .int?, .float?: return nil
        default: return "its \(content.file) gives '\(content.key)' as something other than text or a number"
        }
    }
}
