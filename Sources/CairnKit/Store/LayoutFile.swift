import CairnCore
import CairnFormats

/// A layout defined in a YAML file of its own (`cairn adopt --layout-file my-layout.yaml`), written as
/// one entry of `cairn.yaml`'s `layouts:` would be, either at the top level:
///
/// ```yaml
/// name: my-layout          # optional: the file's name without its extension otherwise
/// summary: runs/EXPERIMENT/RUN/…
/// experiment_name: "{experiment}"
/// experiment: "runs/{experiment}"
/// run: "runs/{experiment}/{run_name}"
/// checkpoint: "ckpt-{epoch:int}.pt"
/// ```
///
/// or as a mapping of one name to its roles (`my-layout: {experiment_name: …, run: …}`).
public enum LayoutFile {
    /// Reads the layout a file defines.
    /// - Parameter path: the file, absolute or relative to the current folder.
    /// - Throws: ``CairnError`` of kind `.notFound` for a missing file, `.invalidConfig` for YAML that is
    ///   not a layout, `.layout` for a template or role a layout cannot have, naming the file.
    public static func read(_ path: String) throws(CairnError) -> Layout {
        let absolute = Paths.absolute(path)
        guard FileSystem.fileSize(absolute).map({ $0 <= 1 << 20 }) == true else {
            throw CairnError(FileSystem.exists(absolute) ? .invalidConfig : .notFound,
                             FileSystem.exists(absolute) ? "the layout file '\(absolute)' is larger than 1 MiB" : "no layout file at '\(absolute)'",
                             hint: "give the YAML file that defines the layout (see docs/FORMAT.md, section Layouts)")
        }
        let value = try ConfigFile.parse(try FileSystem.readText(absolute), fileName: absolute)
        guard case .mapping(let mapping) = value, !mapping.entries.isEmpty else {
            throw CairnError(.invalidConfig, "the layout file '\(absolute)' is not a mapping of role: template",
                             hint: "write experiment_name, experiment, run and the roles you need, one per line (see docs/FORMAT.md, section Layouts)")
        }
        do throws(CairnError) {
            if mapping["run"] == nil, mapping.entries.count == 1, case .mapping = mapping.entries[0].value {
                let name = try checkedName(mapping.entries[0].key, path: absolute)
                return try StoreSettings.layout(named: name, from: mapping.entries[0].value, path: absolute)
            }
            let name: String
            switch mapping["name"] {
            case .string(let text)?: name = try checkedName(text, path: absolute)
            case nil: name = try checkedName(baseName(absolute), path: absolute)
            default:
                throw CairnError(.invalidConfig, "'name' in the layout file '\(absolute)' is not text", hint: "write name: my-layout")
            }
            return try StoreSettings.layout(named: name, from: value, path: absolute)
        } catch where error.kind == .layout {
            throw CairnError(.layout, "the layout file '\(absolute)': \(error.message)", hint: error.hint)
        }
    }

    /// The file's name without its extension (`my-layout` for `conf/my-layout.yaml`).
    static func baseName(_ path: String) -> String {
        let file = Paths.lastComponent(path)
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }

    /// A layout name: one path component of letters, digits, `-`, `_` and `.`, not a built-in's.
    static func checkedName(_ name: String, path: String) throws(CairnError) -> String {
        guard !name.isEmpty, !name.hasPrefix("."), name.utf8.count <= 64,
              name.allSatisfy({ ($0.isLetter || $0.isNumber || "-_.".contains($0)) && $0.isASCII }) else {
            throw CairnError(.invalidName, "the layout file '\(path)' names its layout \(NameComponent.quoted(name)), which is not a layout name",
                             hint: "name it with letters, digits, '-', '_' and '.' (name: my-layout)")
        }
        guard BuiltinLayouts.named(name) == nil else {
            throw CairnError(.conflict, "the layout file '\(path)' names its layout '\(name)', which is a built-in layout's name",
                             hint: "give it a name of its own (name: my-\(name))")
        }
        return name
    }
}
