import CairnCore
import CairnFormats

/// Reads a layout's ``ContentField``s from the JSON files inside a folder checkpoint.
enum ContentFieldReader {
    /// The fields `layout` reads from the folder at `folder` (absolute); fields whose file is missing,
    /// unreadable or lacks the key are left out.
    static func fields(_ layout: Layout, folder: String) -> LayoutFields {
        var out = LayoutFields()
        var parsed: [String: ConfigMapping] = [:]
        for content in layout.contentFields {
            if parsed[content.file] == nil {
                let path = Paths.join(folder, content.file)
                guard FileSystem.fileSize(path).map({ $0 <= 16 << 20 }) == true,
                      let text = try? FileSystem.readText(path),
                      case .mapping(let mapping)? = try? ConfigJSON.parse(text, fileName: path) else { continue }
                parsed[content.file] = mapping
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
