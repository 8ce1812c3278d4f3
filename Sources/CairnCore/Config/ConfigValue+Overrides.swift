extension ConfigValue {
    /// The config with `--set` overrides applied in order.
    ///
    /// Rules, checked against the value already at the override's key:
    /// - a key that is not there is added, with any missing mappings on the way;
    /// - a value of the same type replaces the old one (a list or mapping replaces it whole);
    /// - numbers mix: an int given to a float field becomes a float, a float given to an int field is
    ///   kept as a float;
    /// - a string field given a plain bool or number keeps the override's text as a string
    ///   (`name=123` gives `"123"`, `name=yes` gives `"yes"`, `name=1e3` gives `"1e3"`);
    /// - a null field takes any value, and any field may be set to null (`key=null`, `key=~` or `key=`);
    /// - everything else is a type mismatch: a number field given a string, bool, list or mapping; a bool
    ///   field given a non-bool; a string field given a list or mapping; a list field given a non-list;
    ///   a mapping field given a non-mapping; and a key that goes through a value that is not a mapping
    ///   (`a.b=1` where `a` is an int or a list; list items cannot be addressed).
    /// - Parameter overrides: the overrides, applied first to last.
    /// - Returns: the new config.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/typeMismatch`` for a clash, naming the override,
    ///   the field's type and the value's type.
    public func applying(_ overrides: [ConfigOverride]) throws(CairnError) -> ConfigValue {
        var root: ConfigMapping
        switch self {
        case .mapping(let mapping): root = mapping
        case .null: root = ConfigMapping()
        default:
            throw CairnError(.typeMismatch, "cannot apply --set to a config that is a \(typeName), not a mapping",
                             hint: "make the config file a mapping of keys to values")
        }
        for override in overrides {
            root = try ConfigValue.apply(override, depth: 0, to: root)
        }
        return .mapping(root)
    }

    private static func apply(_ override: ConfigOverride, depth: Int,
                              to mapping: ConfigMapping) throws(CairnError) -> ConfigMapping {
        var mapping = mapping
        let key = override.path[depth]
        let here = override.path[...depth].joined(separator: ".")
        let existing = mapping[key]
        if depth == override.path.count - 1 {
            mapping.set(key, try merged(override, into: existing ?? .null, at: here))
            return mapping
        }
        switch existing {
        case nil, .null?:
            mapping.set(key, .mapping(try apply(override, depth: depth + 1, to: ConfigMapping())))
        case .mapping(let inner)?:
            mapping.set(key, .mapping(try apply(override, depth: depth + 1, to: inner)))
        case let other?:
            throw CairnError(
                .typeMismatch,
                "--set \(override.text): \(here) is \(article(other.typeName)) in the config, so it has no key "
                    + "'\(override.path[depth + 1])'",
                hint: "set \(here) itself, or check the key's spelling")
        }
        return mapping
    }

    private static func merged(_ override: ConfigOverride, into old: ConfigValue,
                               at key: String) throws(CairnError) -> ConfigValue {
        let new = override.value
        switch (old, new) {
        case (.null, _), (_, .null): return new
        case (.bool, .bool), (.int, .int), (.float, .float), (.string, .string), (.list, .list),
             (.mapping, .mapping), (.int, .float):
            return new
        case (.float, .int(let i)): return .float(Double(i))
        case (.string, .bool), (.string, .int), (.string, .float):
            return override.isPlainNonNull ? .string(override.valueText) : new
        default:
            let shownValue = override.valueText.isEmpty ? new.description : override.valueText
            throw CairnError(
                .typeMismatch,
                "--set \(override.text): \(key) is \(article(old.typeName)) in the config, "
                    + "'\(shownValue)' is \(article(new.typeName))",
                hint: hint(for: old, key: key))
        }
    }

    private static func article(_ typeName: String) -> String {
        (typeName == "int" ? "an " : "a ") + typeName
    }

    private static func hint(for old: ConfigValue, key: String) -> String {
        let change = "or set \(key)=null first to change its type"
        return switch old {
        case .float: "give a number such as 0.001, \(change)"
        case .int: "give a number such as 10, \(change)"
        case .bool: "give true or false, \(change)"
        case .string: "quote the value to mean a string: --set '\(key)=\"…\"'"
        case .list: "give a list such as [1, 2], \(change)"
        case .mapping: "set a key inside it (--set \(key).NAME=VALUE) or give a mapping such as {a: 1}"
        case .null: ""
        }
    }
}
