import CairnCore
import Yams

/// YAML text to ``ConfigValue``, typed the way ``PlainScalar`` says.
///
/// - plain scalars are typed by ``PlainScalar``; quoted and block (`|`, `>`) scalars are strings;
/// - the tags `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!seq`, `!!map` and the non-specific `!`
///   are honoured (`!!float 1` is 1.0); any other tag (`!!binary`, `!!timestamp`, `!!set`, `!foo`) is an
///   error;
/// - anchors and aliases are resolved, and merge keys (`<<: *base`, `<<: [*a, *b]`) merge as in PyYAML;
/// - keys are strings: a key written as a number, bool or null keeps its text (`1: x` has the key `"1"`);
///   a list or mapping used as a key is an error, and so is a key given twice;
/// - the file must hold at most one document, whose top level is a mapping; an empty file (or one holding
///   only comments, or `null`) is an empty mapping.
public enum ConfigYAMLReader {
    /// The most values an alias-heavy file may expand to, a guard against "billion laughs" files.
    public static let maxValues = 1_000_000

    /// Parses a YAML config.
    /// - Parameters:
    ///   - text: the YAML.
    ///   - fileName: the file's name, used in errors.
    /// - Returns: a ``ConfigValue/mapping(_:)``.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidConfig`` naming `file:line:column`.
    public static func parse(_ text: String, fileName: String) throws(CairnError) -> ConfigValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch let error as YamlError {
            throw convert(error, fileName: fileName)
        } catch {
            throw CairnError(.invalidConfig, "\(fileName): the YAML cannot be read",
                             hint: "fix the YAML", cause: String(describing: error))
        }
        guard let node else { return .mapping(ConfigMapping()) }
        var converter = Converter(fileName: fileName)
        let value = try converter.value(node)
        switch value {
        case .mapping: return value
        case .null: return .mapping(ConfigMapping())
        default:
            let line = node.mark?.line ?? 1, column = node.mark?.column ?? 1
            throw CairnError(.invalidConfig,
                             "\(fileName):\(line):\(column): the top level is a \(value.typeName), not a mapping",
                             hint: "write the config as keys and values, such as 'lr: 0.001'")
        }
    }

    private static func convert(_ error: YamlError, fileName: String) -> CairnError {
        func located(_ mark: Mark, _ problem: String, _ context: YamlError.Context?, _ yaml: String) -> CairnError {
            var message = "\(fileName):\(mark.line):\(mark.column): \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            var hint = "fix the YAML at \(fileName) line \(mark.line), column \(mark.column)"
            if character(atLine: mark.line, column: mark.column, in: yaml) == "\t" {
                message += ": a tab"
                hint += "; indent with spaces, not tabs"
            }
            return CairnError(.invalidConfig, message, hint: hint)
        }
        switch error {
        case let .scanner(context, problem, mark, yaml),
             let .parser(context, problem, mark, yaml),
             let .composer(context, problem, mark, yaml):
            return located(mark, problem, context, yaml)
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? ""
            let first = context.mark
            let shown = ConfigValue.doubleQuoted(key)
            guard let second = DuplicateKeyLocator.second(of: key, first: first, in: context.text) else {
                return CairnError(.invalidConfig,
                                  "\(fileName):\(first.line):\(first.column): the key \(shown) is given more than once in this mapping",
                                  hint: "keep one of the entries; fix the YAML at \(fileName) line \(first.line)")
            }
            return CairnError(.invalidConfig,
                              "\(fileName):\(second.line):\(second.column): duplicate key \(shown) in a mapping "
                                + "(first at line \(first.line), column \(first.column))",
                              hint: "keep one of the entries; fix the YAML at \(fileName) line \(second.line)")
        case let .reader(problem, offset, _, yaml):
            let (line, column) = lineAndColumn(of: offset ?? 0, in: yaml)
            return CairnError(.invalidConfig, "\(fileName):\(line):\(column): \(problem)",
                              hint: "fix the YAML at \(fileName) line \(line), column \(column)")
        default:
            return CairnError(.invalidConfig, "\(fileName): the YAML cannot be read",
                              hint: "fix the YAML", cause: String(describing: error))
        }
    }

    /// The character at a line and column (from 1, columns in Unicode scalars, as libyaml counts).
    private static func character(atLine line: Int, column: Int, in text: String) -> Unicode.Scalar? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        let scalars = Array(lines[line - 1].unicodeScalars)
        return column >= 1 && column <= scalars.count ? scalars[column - 1] : nil
    }

    /// Line and column (from 1) of a character offset.
    private static func lineAndColumn(of offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character == "\n" || character == "\r\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}

/// Walks Yams' node tree into ``ConfigValue``.
private struct Converter {
    let fileName: String
    var count = 0

    private static let prefix = "tag:yaml.org,2002:"

    init(fileName: String) { self.fileName = fileName }

    private func fail(_ node: Node, _ problem: String, hint: String) -> CairnError {
        let line = node.mark?.line ?? 1, column = node.mark?.column ?? 1
        return CairnError(.invalidConfig, "\(fileName):\(line):\(column): \(problem)", hint: hint)
    }

    private static func tagName(_ tag: Tag) -> String {
        let raw = tag.rawValue
        return raw.hasPrefix(prefix) ? "!!" + raw.dropFirst(prefix.count) : raw
    }

    mutating func value(_ node: Node) throws(CairnError) -> ConfigValue {
        count += 1
        if count > ConfigYAMLReader.maxValues {
            throw fail(node, "the YAML expands to more than \(ConfigYAMLReader.maxValues) values",
                       hint: "use fewer aliases")
        }
        switch node {
        case .scalar(let scalar): return try self.scalar(scalar, node: node)
        case .sequence(let sequence):
            let tag = Converter.tagName(sequence.tag)
            guard tag == "" || tag == "!" || tag == "!!seq" else {
                throw fail(node, "the tag \(tag) is not supported", hint: "remove the tag")
            }
            var items: [ConfigValue] = []
            for item in sequence { items.append(try value(item)) }
            return .list(items)
        case .mapping(let mapping):
            let tag = Converter.tagName(mapping.tag)
            guard tag == "" || tag == "!" || tag == "!!map" else {
                throw fail(node, "the tag \(tag) is not supported", hint: "remove the tag")
            }
            return .mapping(try self.mapping(mapping, node: node))
        case .alias:
            // Yams resolves aliases while composing; an alias node only appears in hand-built trees.
            throw fail(node, "an unresolved alias", hint: "define the anchor before using it")
        }
    }

    private func scalar(_ scalar: Node.Scalar, node: Node) throws(CairnError) -> ConfigValue {
        let text = scalar.string
        let tag = Converter.tagName(scalar.tag)
        if tag == "" { return scalar.style == .plain ? PlainScalar.resolve(text) : .string(text) }
        let resolved = PlainScalar.resolve(text)
        func wrong(_ type: String) -> CairnError {
            fail(node, "\(ConfigValue.doubleQuoted(text)) is not \(type) but is tagged \(tag)",
                 hint: "fix the value or remove the tag")
        }
        switch tag {
        case "!", "!!str": return .string(text)
        case "!!null": return .null
        case "!!bool":
            guard case .bool = resolved else { throw wrong("a bool") }
            return resolved
        case "!!int":
            guard case .int = resolved else { throw wrong("an int") }
            return resolved
        case "!!float":
            switch resolved {
            case .float: return resolved
            case .int(let i): return .float(Double(i))
            default: throw wrong("a float")
            }
        default:
            throw fail(node, "the tag \(tag) is not supported in a config",
                       hint: "use a plain value, or one of !!str, !!int, !!float, !!bool, !!null")
        }
    }

    private mutating func key(_ node: Node) throws(CairnError) -> String {
        guard case .scalar(let scalar) = node else {
            throw fail(node, "a \(node.sequence != nil ? "list" : "mapping") used as a mapping key",
                       hint: "use a string as the key")
        }
        return scalar.string
    }

    private static func isMergeKey(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.string == "<<", scalar.style == .plain else { return false }
        let tag = tagName(scalar.tag)
        return tag == "" || tag == "!!merge"
    }

    private mutating func mapping(_ mapping: Node.Mapping, node: Node) throws(CairnError) -> ConfigMapping {
        // As PyYAML: merged entries first (later merge sources first), then the mapping's own entries;
        // a later entry for a key replaces the value but keeps the key's first position.
        var merged: [(key: String, value: ConfigValue)] = []
        var own: [(key: String, value: ConfigValue, node: Node)] = []
        for (keyNode, valueNode) in mapping {
            if Converter.isMergeKey(keyNode) {
                merged = try mergeSources(valueNode) + merged
                continue
            }
            own.append((key: try key(keyNode), value: try value(valueNode), node: keyNode))
        }
        var seen: [[UInt8]: Node] = [:]
        for entry in own {
            if let first = seen[Array(entry.key.utf8)] {
                let line = first.mark.map { " (first at line \($0.line))" } ?? ""
                throw fail(entry.node, "duplicate key \(ConfigValue.doubleQuoted(entry.key))\(line)",
                           hint: "keep one of the entries (keys are compared as text: 1 and \"1\" are the same)")
            }
            seen[Array(entry.key.utf8)] = entry.node
        }
        var result = ConfigMapping()
        for entry in merged { result.set(entry.key, entry.value) }
        for entry in own { result.set(entry.key, entry.value) }
        return result
    }

    private mutating func mergeSources(_ node: Node) throws(CairnError) -> [(key: String, value: ConfigValue)] {
        switch node {
        case .mapping(let source):
            return try mapping(source, node: node).entries
        case .sequence(let sources):
            var entries: [(key: String, value: ConfigValue)] = []
            for item in sources.reversed() {
                guard case .mapping(let source) = item else {
                    throw fail(item, "a merge (<<) list item that is not a mapping",
                               hint: "merge mappings only: <<: [*a, *b]")
                }
                entries += try mapping(source, node: item).entries
            }
            return entries
        default:
            throw fail(node, "a merge (<<) of something that is not a mapping",
                       hint: "merge a mapping or a list of mappings: <<: *base")
        }
    }
}
