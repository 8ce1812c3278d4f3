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
}
