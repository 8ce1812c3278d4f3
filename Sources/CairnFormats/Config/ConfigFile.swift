import CairnCore

/// A run's config file: reading YAML or JSON text, writing `config.yaml`.
///
/// Reading the file from disk and writing it atomically are the caller's job.
public enum ConfigFile {
    /// Parses a config file's text: JSON when the name ends in `.json` (any case), else YAML.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - fileName: the file's name or path, used to choose the format and in errors.
    /// - Returns: a ``ConfigValue/mapping(_:)`` (an empty YAML file gives an empty mapping).
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidConfig`` naming `file:line:column`.
    public static func parse(_ text: String, fileName: String) throws(CairnError) -> ConfigValue {
        guard fileName.lowercased().hasSuffix(".json") else {
            // The simplest files (cairn.yaml as Cairn writes it) skip the full YAML library.
            if let flat = FlatYAMLReader.parse(text) { return flat }
            return try ConfigYAMLReader.parse(text, fileName: fileName)
        }
        let value = try ConfigJSON.parse(text, fileName: fileName)
        guard case .mapping = value else {
            throw CairnError(.invalidConfig, "\(fileName): the top level is a \(value.typeName), not an object",
                             hint: "write the config as a JSON object, such as {\"lr\": 0.001}")
        }
        return value
    }

    /// The config as `config.yaml` text (see ``ConfigYAMLWriter``).
    public static func yaml(_ value: ConfigValue) -> String {
        ConfigYAMLWriter.string(value)
    }
}
