import CairnCore
import CairnFormats
import CairnIndexPostgres

/// The content of `cairn.yaml`, the file that marks a store's root.
///
/// ```yaml
/// format: "1.0"          # the on-disk format version (docs/FORMAT.md)
/// layout: cairn          # the layout new experiments and runs are named by
/// layouts: {}            # user-defined layouts: NAME: {experiment_name: …, experiment: …, run: …, …}
/// defaults: {}           # defaults for later commands (checkpoint policies, …)
/// adopted: true          # only in adopted stores: Cairn's per-run records live in .cairn/runs/<id>/
/// tree: /data/old-runs   # only when the tree lives elsewhere (`cairn adopt PATH --store DIR`)
/// file_mode: "0644"      # optional: the permissions of stored checkpoints (default: 0666 less the umask)
/// store_id: 3f6c…        # the store's identity (1.1): a database index records it and refuses other stores
/// index:                 # optional: the index in PostgreSQL instead of .cairn/index.sqlite (1.1)
///   database: postgresql://cairn@db.lab:5432/cairn
///   pool: 8
/// ```
/// Keys this version does not know are kept when the file is rewritten.
public struct StoreSettings: Sendable, Equatable {
    /// The format version the store is written in (`format:`).
    public var format: StoreFormat
    /// The name of the layout in force.
    public var layoutName: String
    /// Layouts defined in this file.
    public var customLayouts: [Layout]
    /// True for a store made by `cairn adopt`: Cairn writes its per-run records (`run.json`,
    /// `params.json`, `tags.json`, the checkpoint manifest) under `.cairn/runs/<run id>/`, never into the tree.
    public var adopted: Bool
    /// Where the tree of experiments and runs lives when it is not the store's root (absolute, or
    /// relative to the root); nil for the root itself.
    public var tree: String?
    /// The permission bits of stored checkpoint files (`file_mode: "0644"`), or nil for the default:
    /// 0666 less the umask of the process that saves. Folders in folder checkpoints get the same bits
    /// with x wherever r is set.
    public var fileMode: Int?
    /// The store's identity (`store_id`, format 1.1): a database that indexes the store records it and
    /// refuses another store. Written by `cairn init`, and into an older store's file when it is first
    /// indexed in a database.
    public var storeID: String?
    /// The PostgreSQL database of the index (`index: database:`), as written: nil for the embedded SQLite index.
    public var indexDatabase: String?
    /// The most connections a process opens to that database (`index: pool:`); nil for the default.
    public var indexPool: Int?
    /// The whole file as read, so unknown keys survive a rewrite.
    public var document: ConfigValue

    /// The name of the file that marks a store's root: `cairn.yaml`.
    public static let fileName = "cairn.yaml"

    /// The settings of a new store, in the current format, with no user-defined layouts and no
    /// defaults.
    /// - Parameters:
    ///   - layoutName: the layout new experiments and runs are named by.
    ///   - adopted: whether `cairn adopt` makes the store.
    ///   - tree: where the tree lives when it is not the store's root; nil for the root itself.
    ///   - customLayout: a user's layout to define in the file (`layouts:`), e.g. the one a tree was
    ///     adopted with (`cairn adopt --layout-file`).
    public init(layoutName: String, adopted: Bool = false, tree: String? = nil, customLayout: Layout? = nil) {
        format = .current
        self.layoutName = layoutName
        self.adopted = adopted
        self.tree = tree
        fileMode = nil
        storeID = StoreSettings.newStoreID()
        customLayouts = customLayout.map { [$0] } ?? []
        var mapping = ConfigMapping()
        mapping.set("format", .string(StoreFormat.current.description))
        mapping.set("store_id", .string(storeID ?? ""))
        mapping.set("layout", .string(layoutName))
        var layouts = ConfigMapping()
        if let customLayout { layouts.set(customLayout.name, .mapping(Self.definition(of: customLayout))) }
        mapping.set("layouts", .mapping(layouts))
        mapping.set("defaults", .mapping(ConfigMapping()))
        if adopted { mapping.set("adopted", .bool(true)) }
        if let tree { mapping.set("tree", .string(tree)) }
        document = .mapping(mapping)
    }

    /// These settings with another layout in force (the file's other keys kept).
    /// - Parameter name: the layout's name (not checked here).
    /// - Returns: a copy with `layout:` changed.
    public func with(layoutName name: String) -> StoreSettings {
        var copy = self
        copy.layoutName = name
        if case .mapping(var mapping) = document {
            mapping.set("layout", .string(name))
            copy.document = .mapping(mapping)
        }
        return copy
    }

    /// These settings with a store id (`store_id:`, the file's other keys kept, its format at least 1.1).
    public func with(storeID id: String) -> StoreSettings {
        var copy = self
        copy.storeID = id
        if case .mapping(var mapping) = document {
            mapping.set("store_id", .string(id))
            if format.major == 1 && format.minor < 1 {
                copy.format = StoreFormat(major: 1, minor: 1)
                mapping.set("format", .string(copy.format.description))
            }
            copy.document = .mapping(mapping)
        }
        return copy
    }

    /// A new store id: 32 hexadecimal digits from the system's random source.
    public static func newStoreID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let text = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
    }

    /// Parses `cairn.yaml`.
    /// - Parameters:
    ///   - text: the file's text.
    ///   - path: the file's path, for error messages.
    /// - Throws: `CairnError` of kind `.invalidConfig` if the YAML is malformed, the format is missing or
    ///   invalid, or `adopted`, `tree`, `file_mode` or a layout is not of the right shape; `.unsupportedFormat` when
    ///   the format is newer than this build reads; a layout error for an invalid template.
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
        switch mapping["adopted"] {
        case nil, .null?: adopted = false
        case .bool(let flag)?: adopted = flag
        default:
            throw CairnError(.invalidConfig, "'adopted' in '\(path)' is not true or false", hint: "write 'adopted: true' or remove the line")
        }
        switch mapping["tree"] {
        case nil, .null?: tree = nil
        case .string(let text)? where !text.isEmpty: tree = text
        default:
            throw CairnError(.invalidConfig, "'tree' in '\(path)' is not a folder path", hint: "write the tree's folder, e.g. 'tree: /data/runs', or remove the line")
        }
        fileMode = try Self.fileMode(mapping["file_mode"], path: path)
        switch mapping["store_id"] {
        case nil, .null?: storeID = nil
        case .string(let id)? where Self.isStoreID(id): storeID = id
        default:
            throw CairnError(.invalidConfig, "'store_id' in '\(path)' is not a store id",
                             hint: "a store id is 1 to 64 letters, digits, '-' or '_'; remove the line and the next command that needs one writes a new one")
        }
        (indexDatabase, indexPool) = try Self.index(mapping["index"], path: path)
        var layouts: [Layout] = []
        if case .mapping(let defined)? = mapping["layouts"] {
            for entry in defined.entries {
                layouts.append(try Self.layout(named: entry.key, from: entry.value, path: path))
            }
        }
        customLayouts = layouts
    }

    /// True for a store id: 1 to 64 ASCII letters, digits, `-` or `_`.
    static func isStoreID(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 45 || byte == 95
        }
    }

    /// Reads `index:`: `database:` (a postgresql:// URL without a password) and `pool:` (1 to 1,000).
    static func index(_ value: ConfigValue?, path: String) throws(CairnError) -> (String?, Int?) {
        let hint = "write 'index: {database: \"postgresql://USER@HOST:PORT/DATABASE\", pool: 8}', or remove it for the embedded SQLite index"
        switch value {
        case nil, .null?: return (nil, nil)
        case .mapping(let index)?:
            var database: String?
            switch index["database"] {
            case nil, .null?: database = nil
            case .string(let text)?:
                // Checked here (no password, a valid URL), so that every command names cairn.yaml.
                do throws(CairnError) {
                    _ = try DatabaseURL(parsing: text)
                } catch {
                    throw CairnError(.invalidConfig, "'index.database' in '\(path)': \(error.message)", hint: error.hint ?? hint)
                }
                database = text
            default:
                throw CairnError(.invalidConfig, "'index.database' in '\(path)' is not a URL", hint: hint)
            }
            var pool: Int?
            switch index["pool"] {
            case nil, .null?: pool = nil
            case .int(let number)? where (1...1_000).contains(number): pool = Int(number)
            default: throw CairnError(.invalidConfig, "'index.pool' in '\(path)' is not a number of connections from 1 to 1000", hint: hint)
            }
            return (database, pool)
        default:
            throw CairnError(.invalidConfig, "'index' in '\(path)' is not a mapping", hint: hint)
        }
    }

    /// A user's layout from its YAML mapping of role → template (and `summary`), as `cairn.yaml`'s
    /// `layouts:` and a layout file write it.
    /// - Throws: ``CairnError`` of kind `.invalidConfig` for a value that is not a mapping of strings, or
    ///   `.layout` for a template or role the layout cannot have.
    static func layout(named name: String, from value: ConfigValue, path: String) throws(CairnError) -> Layout {
        guard case .mapping(let roles) = value else {
            throw CairnError(.invalidConfig, "layout '\(name)' in '\(path)' is not a mapping of role: template",
                             hint: "see docs/FORMAT.md, section Layouts")
        }
        var templates: [String: String] = [:]
        var summary = "user-defined layout"
        for role in roles.entries where role.key != "name" {
            guard case .string(let text) = role.value else {
                throw CairnError(.invalidConfig, "layout '\(name)' role '\(role.key)' in '\(path)' is not a string",
                                 hint: "write each role's template in quotes, e.g. run: \"runs/{experiment}/{run_id}\"")
            }
            if role.key == "summary" { summary = text } else { templates[role.key] = text }
        }
        return try Layout(name: name, summary: summary, templates: templates)
    }

    /// The YAML mapping that defines `layout` in `cairn.yaml`'s `layouts:` (every role's template, its
    /// summary and content fields): what ``layout(named:from:path:)`` reads back.
    static func definition(of layout: Layout) -> ConfigMapping {
        var mapping = ConfigMapping()
        mapping.set("summary", .string(layout.summary))
        for role in LayoutRole.allCases {
            if let template = layout.template(role) { mapping.set(role.rawValue, .string(template.text)) }
        }
        if let param = layout.parentExperimentParam { mapping.set(Layout.parentExperimentKey, .string(param)) }
        if let tool = layout.tool { mapping.set(Layout.toolKey, .string(tool.rawValue)) }
        if !layout.contentFields.isEmpty {
            mapping.set(Layout.contentFieldsKey, .string(layout.contentFields.map(\.description).joined(separator: ", ")))
        }
        return mapping
    }

    /// Reads `file_mode`: three octal digits in quotes (`"0644"`, `"640"`), which let the owner read.
    static func fileMode(_ value: ConfigValue?, path: String) throws(CairnError) -> Int? {
        let hint = "write the permissions as octal digits in quotes, e.g. 'file_mode: \"0644\"' (owner read-write, others read), or remove the line to follow the umask"
        switch value {
        case nil, .null?: return nil
        case .string(let text)?:
            let digits = text.hasPrefix("0") && text.count == 4 ? String(text.dropFirst()) : text
            guard digits.count == 3, digits.allSatisfy({ ("0"..."7").contains($0) }), let mode = Int(digits, radix: 8) else {
                throw CairnError(.invalidConfig, "'file_mode' in '\(path)' is \(NameComponent.quoted(text)), not a file mode", hint: hint)
            }
            guard mode & 0o400 != 0 else {
                throw CairnError(.invalidConfig, "'file_mode' in '\(path)' is \(NameComponent.quoted(text)), which does not let the owner read the checkpoints",
                                 hint: "include the owner's read bit, e.g. 'file_mode: \"0644\"' or \"0440\"")
            }
            return mode
        case .int(let number)?:
            throw CairnError(.invalidConfig, "'file_mode' in '\(path)' is the number \(number), which YAML readers take as decimal or octal depending on their version",
                             hint: hint)
        default:
            throw CairnError(.invalidConfig, "'file_mode' in '\(path)' is not a file mode", hint: hint)
        }
    }

    /// The layout named `name`: a user-defined one first, then a built-in, then `BASE+TOOL`, a layout
    /// carrying a tool's files (``Layout/carrying(_:)``, what migrating a tool's tree makes).
    /// - Parameter name: the layout's name.
    /// - Returns: the layout, or nil when no layout has that name.
    public func layout(named name: String) -> Layout? {
        customLayouts.first { $0.name == name } ?? BuiltinLayouts.named(name)
            ?? BuiltinLayouts.carried(name, base: { layout(named: $0) })
    }

    /// Every layout this store knows: built-ins, then user-defined ones.
    public var allLayouts: [Layout] { BuiltinLayouts.all + customLayouts }

    /// The YAML text of the file.
    public var yaml: String {
        "# Cairn store: this file marks the root; its format is specified in Cairn's docs/FORMAT.md.\n"
            + ConfigFile.yaml(document)
    }
}
