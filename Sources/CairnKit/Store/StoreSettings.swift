import CairnCore
import CairnFormats

/// The content of `cairn.yaml`, the file that marks a store's root.
///
/// ```yaml
/// format: "1.0"          # the on-disk format version (docs/FORMAT.md)
/// layout: cairn          # the layout new experiments and runs are named by
/// layouts: {}            # user-defined layouts: NAME: {experiment_name: …, experiment: …, run: …, …}
/// defaults: {}           # defaults for later commands (checkpoint policies, …)
/// ```
/// Keys this version does not know are kept when the file is rewritten.
public struct StoreSettings: Sendable, Equatable {
    public var format: StoreFormat
    /// The name of the layout in force.
    public var layoutName: String
    /// Layouts defined in this file.
    public var customLayouts: [Layout]
    /// The whole file as read, so unknown keys survive a rewrite.
    public var document: ConfigValue

    public static let fileName = "cairn.yaml"

    public init(layoutName: String) {
        format = .current
        self.layoutName = layoutName
        customLayouts = []
        var mapping = ConfigMapping()
        mapping.set("format", .string(StoreFormat.current.description))
        mapping.set("layout", .string(layoutName))
        mapping.set("layouts", .mapping(ConfigMapping()))
        mapping.set("defaults", .mapping(ConfigMapping()))
        document = .mapping(mapping)
    }

    /// Parses `cairn.yaml`.
    /// - Throws: ``CairnError`` if the YAML is malformed, the format is missing or newer than this
    ///   build reads, or a layout is invalid.
    public init(yaml text: String, path: String) throws(CairnError) {
        let value = try ConfigFile.parse(text, fileName: path)
        guard case .mapping(let mapping) = value else {
            throw CairnError(.invalidConfig, "'\(path)' is not a mapping", hint: "see docs/FORMAT.md for cairn.yaml")
        }
        document = value
        let formatText: String
        switch mapping["format"] {
        case .string(let text)?: formatText = text
        case .int(let n)?: formatText = String(n)
        case .float(let f)?: formatText = String(f)
        default:
            throw CairnError(.invalidConfig, "'\(path)' has no 'format' version",
                             hint: "add 'format: \"\(StoreFormat.current)\"' or run 'cairn init' again")
        }
        guard let format = StoreFormat(text: formatText) else {
            throw CairnError(.invalidConfig, "'\(path)' has an invalid format version '\(formatText)'",
                             hint: "write it as MAJOR.MINOR, e.g. \"\(StoreFormat.current)\"")
        }
        if format.major > StoreFormat.current.major {
            throw CairnError(.unsupportedFormat,
                             "the store '\(Paths.parent(path))' has format \(format), newer than the \(StoreFormat.current.major).x this cairn reads",
                             hint: "upgrade cairn to open it")
        }
        self.format = format
        if case .string(let name)? = mapping["layout"] { layoutName = name } else { layoutName = BuiltinLayouts.cairn.name }
        var layouts: [Layout] = []
        if case .mapping(let defined)? = mapping["layouts"] {
            for entry in defined.entries {
                guard case .mapping(let roles) = entry.value else {
                    throw CairnError(.invalidConfig, "layout '\(entry.key)' in '\(path)' is not a mapping of role: template",
                                     hint: "see docs/FORMAT.md, section Layouts")
                }
                var templates: [String: String] = [:]
                var summary = "user-defined layout"
                for role in roles.entries {
                    guard case .string(let text) = role.value else {
                        throw CairnError(.invalidConfig, "layout '\(entry.key)' role '\(role.key)' in '\(path)' is not a string")
                    }
                    if role.key == "summary" { summary = text } else { templates[role.key] = text }
                }
                layouts.append(try Layout(name: entry.key, summary: summary, templates: templates))
            }
        }
        customLayouts = layouts
    }

    /// The layout named `name`: a user-defined one first, then a built-in.
    public func layout(named name: String) -> Layout? {
        customLayouts.first { $0.name == name } ?? BuiltinLayouts.named(name)
    }

    /// Every layout this store knows: built-ins, then user-defined ones.
    public var allLayouts: [Layout] { BuiltinLayouts.all + customLayouts }

    /// The YAML text of the file.
    public var yaml: String {
        "# Cairn store: this file marks the root; its format is specified in Cairn's docs/FORMAT.md.\n"
            + ConfigFile.yaml(document)
    }
}
