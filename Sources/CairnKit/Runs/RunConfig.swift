import CairnCore
import CairnFormats

/// Builds a run's config from a `--config` file and `--set` overrides.
public enum RunConfig {
    /// Reads `path` (YAML, or JSON when it ends in `.json`) and applies `additions` (`--add a.b.c=VALUE`)
    /// then `overrides` (`--set a.b.c=VALUE`, or `+a.b.c=VALUE` for an addition). With no file, the
    /// overrides alone make the config, and every key is new.
    /// - Parameters:
    ///   - path: the config file (`--config`), absolute or relative to the current directory, or nil.
    ///   - overrides: `--set` words, `a.b.c=VALUE`, applied in order.
    ///   - additions: `--add` words, `a.b.c=VALUE`, keys the config file does not have; applied first.
    /// - Returns: the config and the file's absolute path.
    /// - Throws: `CairnError` for a missing or unreadable file, malformed YAML/JSON, a malformed
    ///   override, an override whose type clashes with the config's, a `--set` key the config file does
    ///   not have, or an addition of a key it has.
    public static func load(path: String?, overrides: [String],
                            additions: [String] = []) throws(CairnError) -> (config: ConfigValue, source: String?) {
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
        for text in additions { parsed.append(try ConfigOverride(parsing: text, adding: true)) }
        for text in overrides { parsed.append(try ConfigOverride(parsing: text)) }
        return (try config.applying(parsed, addsAnyKey: path == nil), source)
    }
}
