extension ConfigValue {
    /// ``applying(_:addsAnyKey:)`` for overrides as a user wrote them (`--set a.b.c=VALUE`, `+a.b.c=VALUE`).
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidConfig`` for a malformed override, else
    ///   what ``applying(_:addsAnyKey:)`` throws.
    public func applying(overrides texts: [String], addsAnyKey: Bool = false) throws(CairnError) -> ConfigValue {
        var parsed: [ConfigOverride] = []
        for text in texts { parsed.append(try ConfigOverride(parsing: text)) }
        return try applying(parsed, addsAnyKey: addsAnyKey)
    }

    /// The config with `--set` overrides and `--add` additions applied in order.
    ///
    /// Rules, checked against the value already at the override's key:
    /// - a key that is not there is refused, unless the override is an addition (`--add KEY=VALUE` or
    ///   `+KEY=VALUE`) or `addsAnyKey` is true (a run with no `--config` file, whose every key is new);
    ///   an addition makes any missing mappings on the way; an addition of a key that is there is
    ///   refused (use `--set`);
    /// - a value of the same type replaces the old one (a list or mapping replaces it whole; its items
    ///   are not checked against the old ones);
    /// - an int field takes an int spelling only (`10`, `-3`, `1_000`, `0x1F`): `2.5` and `1e3` are
    ///   floats and are refused; a float field takes ints and floats, and keeps a float (`1` gives `1.0`);
    /// - a bool field takes a bool spelling only (`true`/`false`, `yes`/`no`, `on`/`off`);
    /// - a string field given a plain bool or number keeps the override's text as a string
    ///   (`name=123` gives `"123"`, `name=yes` gives `"yes"`, `name=1e3` gives `"1e3"`);
    /// - a null field takes any value, and any field may be set to null (`key=null`, `key=~` or `key=`);
    /// - everything else is a type mismatch: a number field given a string, bool, list or mapping; a bool
    ///   field given a non-bool; a string field given a list or mapping; a list field given a non-list;
    ///   a mapping field given a non-mapping; and a key that goes through a value that is not a mapping
    ///   (`a.b=1` where `a` is an int or a list; list items cannot be addressed).
    /// - Parameters:
    ///   - overrides: the overrides, applied first to last.
    ///   - addsAnyKey: true when every key may be new (there is no config file to check keys against).
    /// - Returns: the new config.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/typeMismatch`` for a clash, naming the override,
    ///   the field's type and the value's type; of kind ``CairnError/Kind/notFound`` for a key the config
    ///   does not have; of kind ``CairnError/Kind/alreadyExists`` for an addition of a key it has.
    public func applying(_ overrides: [ConfigOverride], addsAnyKey: Bool = false) throws(CairnError) -> ConfigValue {
        var root: ConfigMapping
        switch self {
        case .mapping(let mapping): root = mapping
        case .null: root = ConfigMapping()
        default:
            throw CairnError(.typeMismatch, "cannot apply --set to a config that is a \(typeName), not a mapping",
                             hint: "make the config file a mapping of keys to values")
        }
        for override in overrides {
            root = try ConfigValue.apply(override, depth: 0, to: root, addsAnyKey: addsAnyKey)
        }
        return .mapping(root)
    }

    private static func apply(_ override: ConfigOverride, depth: Int, to mapping: ConfigMapping,
                              addsAnyKey: Bool) throws(CairnError) -> ConfigMapping {
        var mapping = mapping
        let key = override.path[depth]
        let here = override.path[...depth].joined(separator: ".")
        let existing = mapping[key]
        if depth == override.path.count - 1 {
            if let existing, override.adds {
                throw CairnError(.alreadyExists, "\(override.option) \(override.text): the config already has \(here) "
                                    + "(\(article(existing.typeName)))",
                                 hint: "change it with --set \(override.key)=VALUE; --add and '+' are for new keys")
            }
            if existing == nil, !override.adds, !addsAnyKey { throw unknownKey(override, here: here, in: mapping) }
            mapping.set(key, try merged(override, into: existing ?? .null, at: here))
            return mapping
        }
        switch existing {
        case nil, .null?:
            if !override.adds, !addsAnyKey { throw unknownKey(override, here: here, in: mapping) }
            mapping.set(key, .mapping(try apply(override, depth: depth + 1, to: ConfigMapping(), addsAnyKey: addsAnyKey)))
        case .mapping(let inner)?:
            mapping.set(key, .mapping(try apply(override, depth: depth + 1, to: inner, addsAnyKey: addsAnyKey)))
        case let other?:
            throw CairnError(
                .typeMismatch,
                "\(override.option) \(override.text): \(here) is \(article(other.typeName)) in the config, so it has no key "
                    + "'\(override.path[depth + 1])'",
                hint: "set \(here) itself, or check the key's spelling")
        }
        return mapping
    }

    /// A key the config does not have (or that goes through a null): a typo unless it is added.
    private static func unknownKey(_ override: ConfigOverride, here: String, in mapping: ConfigMapping) -> CairnError {
        let whole = override.key
        let last = String(here.split(separator: ".").last ?? "")
        let subject = mapping[last] == .null ? "has \(here) as null, so no key \(whole)"
            : here == whole ? "has no key \(whole)" : "has no key \(here) (so none \(whole))"
        let keys = mapping.keys
        let parent = here.contains(".") ? String(here[..<here.lastIndex(of: ".")!]) : ""
        let known = keys.isEmpty ? "" : (parent.isEmpty ? "the top-level keys are " : "the keys of \(parent) are ")
            + keys.prefix(12).joined(separator: ", ") + (keys.count > 12 ? ", …" : "") + "; "
        return CairnError(.notFound, "--set \(override.text): the config \(subject)",
                          hint: known + "check the spelling, or add a new key with --add \(override.text) (or +\(override.text))")
    }

    private static func merged(_ override: ConfigOverride, into old: ConfigValue,
                               at key: String) throws(CairnError) -> ConfigValue {
        let new = override.value
        switch (old, new) {
        case (.null, _), (_, .null): return new
        case (.bool, .bool), (.int, .int), (.float, .float), (.string, .string), (.list, .list),
             (.mapping, .mapping):
            return new
        case (.float, .int(let i)): return .float(Double(i))
        case (.string, .bool), (.string, .int), (.string, .float):
            return override.isPlainNonNull ? .string(override.valueText) : new
        default:
            let shownValue = override.valueText.isEmpty ? new.description : override.valueText
            throw CairnError(
                .typeMismatch,
                "\(override.option) \(override.text): \(key) is \(article(old.typeName)) in the config, "
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
        case .float: "give a number such as 0.001 (.inf and .nan are floats too), \(change)"
        case .int: "an int field takes a whole number such as 10 (not 2.5 or 1e3), \(change)"
        case .bool: "give true or false, \(change)"
        case .string: "quote the value to mean a string: --set '\(key)=\"…\"'"
        case .list: "give a list such as [1, 2], \(change)"
        case .mapping: "set a key inside it (--set \(key).NAME=VALUE) or give a mapping such as {a: 1}"
        case .null: ""
        }
    }
}
