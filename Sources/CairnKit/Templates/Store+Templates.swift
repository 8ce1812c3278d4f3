import Glibc
import CairnCore
import CairnFormats

extension Store {
    /// The folder of the store's config templates: `.cairn/templates/`.
    public var templatesFolder: String { Paths.join(metaRoot, "templates") }

    /// The store's config templates, by name.
    /// - Returns: each template with its size, key count and sections.
    /// - Throws: `CairnError` when a template cannot be read or is not a valid config (naming the file).
    public func templates() throws(CairnError) -> [CairnAPI.Template] {
        var found: [CairnAPI.Template] = []
        for entry in try FileSystem.list(templatesFolder).sorted() where entry.hasSuffix(".yaml") && !entry.hasPrefix(".") {
            let name = String(entry.dropLast(".yaml".count))
            let (config, bytes) = try readTemplate(Paths.join(templatesFolder, entry))
            found.append(Self.describe(name: name, path: Paths.join(templatesFolder, entry), bytes: bytes, config: config))
        }
        return found
    }

    /// The config template named `name`.
    /// - Parameter name: the template's name (`pretraining`).
    /// - Returns: its config and its file's text.
    /// - Throws: `CairnError` of kind `.notFound` (listing the templates there are) or `.invalidConfig`.
    public func template(named name: String) throws(CairnError) -> (config: ConfigValue, text: String) {
        try Self.validateTemplateName(name)
        let path = Paths.join(templatesFolder, name + ".yaml")
        guard FileSystem.exists(path) else {
            let names = (try? templates().map(\.name)) ?? []
            throw CairnError(.notFound, "no config template named '\(name)' in the store '\(root)'",
                             hint: names.isEmpty ? "add one with 'cairn template add \(name) FILE'"
                                 : "the templates are: \(names.joined(separator: ", ")); add one with 'cairn template add NAME FILE'")
        }
        let (config, _) = try readTemplate(path)
        return (config, String(decoding: try FileSystem.read(path), as: UTF8.self))
    }

    /// Adds a config template: `file` (YAML, or JSON when it ends in `.json`) checked, then written to
    /// `.cairn/templates/NAME.yaml` atomically (a YAML file byte for byte, comments kept; JSON as YAML).
    /// - Parameters:
    ///   - name: the template's name: one visible name component (no `/`, `..` or control characters).
    ///   - file: the config file, absolute or relative to the current directory.
    ///   - replace: replace a template of that name.
    /// - Returns: the template as listed.
    /// - Throws: `CairnError` for an invalid name, a missing, unreadable or malformed file, a config
    ///   that is not a mapping, an existing template without `replace`, or a store that cannot be written.
    @discardableResult
    public func addTemplate(named name: String, from file: String, replace: Bool = false) throws(CairnError) -> CairnAPI.Template {
        try checkWritable()
        try Self.validateTemplateName(name)
        let source = Paths.absolute(file)
        guard FileSystem.exists(source), !FileSystem.isDirectory(source) else {
            throw CairnError(.notFound, "the template file '\(file)' does not exist or is a folder", hint: "give a YAML or JSON config file")
        }
        let bytes = try FileSystem.read(source)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CairnError(.invalidConfig, "the template file '\(file)' is not UTF-8 text", hint: "give a YAML or JSON config file")
        }
        return try addTemplate(named: name, text: text, fileName: file, replace: replace, json: source.hasSuffix(".json"))
    }

    /// Adds a config template from its text (YAML, or JSON when `json`), checked, as
    /// ``addTemplate(named:from:replace:)`` does.
    /// - Parameters:
    ///   - name: the template's name.
    ///   - text: the config's text.
    ///   - fileName: where the text came from, for error messages.
    ///   - replace: replace a template of that name.
    ///   - json: the text is JSON (stored converted to YAML).
    /// - Returns: the template as listed.
    /// - Throws: what ``addTemplate(named:from:replace:)`` throws.
    @discardableResult
    public func addTemplate(named name: String, text: String, fileName: String, replace: Bool = false,
                            json: Bool = false) throws(CairnError) -> CairnAPI.Template {
        try checkWritable()
        try Self.validateTemplateName(name)
        let config = try ConfigFile.parse(text, fileName: fileName)
        guard config.mappingValue != nil else {
            throw CairnError(.invalidConfig, "the template file '\(fileName)' holds a \(config.typeName), not a mapping of sections",
                             hint: "a config template is a mapping, e.g. 'training: {lr: 0.001}'")
        }
        let yaml = json ? Array(ConfigFile.yaml(config).utf8) : Array(text.utf8)
        let path = Paths.join(templatesFolder, name + ".yaml")
        try FileSystem.makeDirectories(templatesFolder)
        if replace {
            try AtomicFile.write(yaml, to: path)
        } else {
            do throws(CairnError) {
                try AtomicFile.create(yaml, at: path)
            } catch where error.kind == .alreadyExists {
                throw CairnError(.alreadyExists, "the config template '\(name)' already exists (\(path))",
                                 hint: "pass --replace to replace it, or choose another name")
            }
        }
        return Self.describe(name: name, path: path, bytes: Int64(yaml.count), config: config)
    }

    /// Removes a config template.
    /// - Parameter name: the template's name.
    /// - Throws: `CairnError` of kind `.notFound` when there is none by that name.
    public func removeTemplate(named name: String) throws(CairnError) {
        try checkWritable()
        _ = try template(named: name)
        let path = Paths.join(templatesFolder, name + ".yaml")
        if unlink(path) != 0 { throw SystemError.make("remove", path: path) }
        FileSystem.syncDirectory(templatesFolder)
    }

    private func readTemplate(_ path: String) throws(CairnError) -> (ConfigValue, Int64) {
        let bytes = try FileSystem.read(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CairnError(.invalidConfig, "the config template '\(path)' is not UTF-8 text", hint: "fix or remove the file")
        }
        return (try ConfigFile.parse(text, fileName: path), Int64(bytes.count))
    }

    private static func describe(name: String, path: String, bytes: Int64, config: ConfigValue) -> CairnAPI.Template {
        CairnAPI.Template(name: name, path: path, bytes: bytes, keys: config.flattened().count,
                          sections: config.mappingValue?.keys ?? [])
    }

    static func validateTemplateName(_ name: String) throws(CairnError) {
        try NameComponent.validateVisible(Substring(name), what: "template name", whole: name)
        if name.hasPrefix(".") {
            throw CairnError(.invalidName, "the template name '\(name)' starts with '.'", hint: "choose a name such as 'pretraining'")
        }
    }
}
