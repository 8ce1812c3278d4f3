extension ConfigValue {
    /// This config with `value` at `path`: the key replaced where it exists (whatever its type), added
    /// at the end of its mapping where not, with mappings made on the way for missing sections (and in
    /// place of a scalar or list that stood where a section is needed).
    /// - Parameters:
    ///   - path: the key's path (`["training", "resume", "is_resume"]`); empty replaces the whole config.
    ///   - value: the value to set.
    /// - Returns: the config with the value set.
    public func setting(_ path: [String], to value: ConfigValue) -> ConfigValue {
        guard let key = path.first else { return value }
        var mapping = mappingValue ?? ConfigMapping()
        let inner = mapping[key] ?? .mapping(ConfigMapping())
        mapping.set(key, path.count == 1 ? value : inner.setting(Array(path.dropFirst()), to: value))
        return .mapping(mapping)
    }
}
