import CairnCore
import CairnFormats

/// Builds a run's config from a `--config` file and `--set` overrides.
public enum RunConfig {
    /// Reads `path` (YAML, or JSON when it ends in `.json`) and applies `overrides` (`a.b.c=VALUE`).
    /// With no file, the overrides alone make the config.
    /// - Parameters:
    ///   - path: the config file (`--config`), absolute or relative to the current directory, or nil.
    ///   - overrides: `--set` words, `a.b.c=VALUE`, applied in order.
    /// - Returns: the config and the file's absolute path.
    /// - Throws: `CairnError` for a missing or unreadable file, malformed YAML/JSON, a malformed
    ///   override, or an override whose type clashes with the config's.
    public static func load(path: String?, overrides: [String]) throws(CairnError) -> (config: ConfigValue, source: String?) {
        var config = ConfigValue.mapping(ConfigMapping())
        var source: String?
        if let path {
            let absolute = Paths.absolute(path)
            guard FileSystem.exists(absolute) else {
                throw CairnError(.notFound, "the config file '\(path)' does not exist", hint: "check the path given to --config")
            }
            guard !FileSystem.isDirectory(absolute) else {
                throw CairnError(.invalidConfig, "the config file '\(path)' is a folder", hint: "give a YAML or JSON file to --config")
            }
            let bytes = try FileSystem.read(absolute)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw CairnError(.invalidConfig, "the config file '\(path)' is not UTF-8 text", hint: "give a YAML or JSON file to --config")
            }
            config = try ConfigFile.parse(text, fileName: path)
            source = absolute
        }
        var parsed: [ConfigOverride] = []
        for text in overrides { parsed.append(try ConfigOverride(parsing: text)) }
        return (try config.applying(parsed), source)
    }
}
