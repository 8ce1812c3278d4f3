import Yams

/// Finds where a mapping key is given the second time. Yams refuses a mapping with a duplicated key
/// but reports only the first occurrence's position, which points at the line that is right.
///
/// The locator makes the first occurrence unique (a prefix inserted just before it in the text), composes
/// the text again, finds the mapping that holds the renamed key, and returns the position of that
/// mapping's other key with the same text.
enum DuplicateKeyLocator {
    private static let probe = "cairn~duplicate~probe~"

    /// The position (line and column from 1, columns in Unicode scalars) of the second occurrence of
    /// `key`, whose first occurrence is at `first`; nil when it cannot be found (then only `first` is known).
    static func second(of key: String, first: Mark, in yaml: String) -> (line: Int, column: Int)? {
        guard !yaml.contains(probe), let offset = scalarOffset(line: first.line, column: first.column, in: yaml) else {
            return nil
        }
        var scalars = Array(yaml.unicodeScalars)
        scalars.insert(contentsOf: probe.unicodeScalars, at: offset)
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        guard let root = try? Yams.compose(yaml: text, .default, .default, .utf8),
              let found = search(root, key: key, first: first) else { return nil }
        if found.line == first.line && found.column > first.column {
            return (found.line, found.column - probe.unicodeScalars.count)
        }
        return (found.line, found.column)
    }

    private static func search(_ node: Node, key: String, first: Mark) -> Mark? {
        switch node {
        case .mapping(let mapping):
            let keys = mapping.map(\.key)
            if keys.contains(where: { isAt($0, first) }) {
                return keys.first { !isAt($0, first) && $0.string == key }?.mark
            }
            for (keyNode, value) in mapping {
                if let found = search(keyNode, key: key, first: first) ?? search(value, key: key, first: first) {
                    return found
                }
            }
            return nil
        case .sequence(let sequence):
            for item in sequence {
                if let found = search(item, key: key, first: first) { return found }
            }
            return nil
        case .scalar, .alias:
            return nil
        }
    }

    private static func isAt(_ node: Node, _ mark: Mark) -> Bool {
        node.mark?.line == mark.line && node.mark?.column == mark.column
    }

    /// The offset in Unicode scalars of a line and column (from 1).
    private static func scalarOffset(line: Int, column: Int, in text: String) -> Int? {
        var currentLine = 1, offset = 0
        for scalar in text.unicodeScalars {
            if currentLine == line { break }
            if scalar == "\n" { currentLine += 1 }
            offset += 1
        }
        guard currentLine == line, column >= 1 else { return nil }
        return offset + column - 1
    }
}
