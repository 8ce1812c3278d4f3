/// A validated experiment name. Names may be grouped with `/` (`vae/baseline`): every component
/// but the last is a group, and each component is checked by ``NameComponent``.
public struct ExperimentName: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The longest whole name, in bytes of UTF-8 (PATH_MAX leaves room for the store and run folders).
    public static let maxBytes = 1024

    /// The name's components, outermost group first.
    public let components: [String]

    /// Parses and validates a name. No component may start with `.` (``NameComponent/validateVisible(_:what:whole:)``).
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidName`` saying what is wrong.
    public init(_ text: String) throws(CairnError) {
        try self.init(text, allowingHidden: false)
    }

    /// Parses a name; `allowingHidden` accepts components starting with `.`, for names already in a
    /// store's registry (made before they were refused), so that such a store can still be read.
    private init(_ text: String, allowingHidden: Bool) throws(CairnError) {
        let what = "experiment name"
        if text.isEmpty {
            throw CairnError(.invalidName, "the experiment name is empty", hint: "give a name such as 'vae/baseline'")
        }
        if text.hasPrefix("/") || text.hasSuffix("/") {
            throw CairnError(.invalidName, "\(what) \(NameComponent.quoted(text)) starts or ends with '/'",
                             hint: "'/' separates groups inside a name; write 'group/name'")
        }
        if text.utf8.count > Self.maxBytes {
            throw CairnError(.invalidName, "\(what) \(NameComponent.quoted(text)) is \(text.utf8.count) bytes long",
                             hint: "the limit is \(Self.maxBytes) bytes; shorten it")
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        for part in parts {
            if allowingHidden {
                try NameComponent.validate(part, what: what, whole: text)
            } else {
                try NameComponent.validateVisible(part, what: what, whole: text)
            }
        }
        components = parts.map(String.init)
    }

    /// The name as written, components joined by `/`.
    public var description: String { components.joined(separator: "/") }

    /// The groups that contain this experiment: for `a/b/c`, `a` and `a/b`.
    public var enclosingGroups: [String] {
        (1..<max(components.count, 1)).map { components.prefix($0).joined(separator: "/") }
    }

    public static func < (lhs: ExperimentName, rhs: ExperimentName) -> Bool {
        lhs.description < rhs.description
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text, allowingHidden: true) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
