extension ConfigValue {
    /// The config's leaves under dotted keys, in document order: a run's params.
    ///
    /// Mappings are walked into (`training: {lr: 0.1}` gives `training.lr`); scalars, lists and empty
    /// mappings are leaves. A key holding a `.` is joined as it is, so `{"a.b": 1}` and `{a: {b: 1}}` both
    /// give `a.b`. A root that is not a mapping is one leaf with the empty key; an empty root gives none.
    public func flattened() -> [(key: String, value: ConfigValue)] {
        guard case .mapping(let root) = self else { return [(key: "", value: self)] }
        var leaves: [(key: String, value: ConfigValue)] = []
        ConfigValue.flatten(root, prefix: "", into: &leaves)
        return leaves
    }

    private static func flatten(_ mapping: ConfigMapping, prefix: String,
                                into leaves: inout [(key: String, value: ConfigValue)]) {
        for (key, value) in mapping.entries {
            let dotted = prefix.isEmpty ? key : prefix + "." + key
            if case .mapping(let inner) = value, !inner.isEmpty {
                flatten(inner, prefix: dotted, into: &leaves)
            } else {
                leaves.append((key: dotted, value: value))
            }
        }
    }
}
