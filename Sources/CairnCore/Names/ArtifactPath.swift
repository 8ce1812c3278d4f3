/// A file's or folder's path inside a run's `artifacts/` folder, as a client gives it (already
/// percent-decoded once): components joined by `/`.
///
/// Everything that could lead out of the folder or mean something else on another system is refused:
/// an absolute path, `.` and `..` components, empty components, backslashes, NUL and other control
/// characters, and `%XX` sequences left after decoding (a double-encoded `..` or `/`). Symbolic links
/// inside the folder are the store's to check (``CairnKit``'s artifact functions resolve them).
public struct ArtifactPath: Sendable, Hashable, CustomStringConvertible {
    /// The components, none empty; empty for the artifacts folder itself.
    public let components: [String]

    /// The artifacts folder itself.
    public static let root = ArtifactPath(checked: [])

    private init(checked components: [String]) { self.components = components }

    /// Parses and checks a path.
    /// - Parameter text: the path (`""` for the folder itself; one trailing `/` is allowed).
    /// - Throws: ``CairnError`` of kind `.invalidValue` naming what is wrong.
    public init(_ text: String) throws(CairnError) {
        func refuse(_ why: String) -> CairnError {
            CairnError(.invalidValue, "the artifact path \(NameComponent.quoted(text)) \(why)",
                       hint: "give a relative path inside the run's artifacts folder, like 'plots/loss.png'")
        }
        if text.isEmpty { self = .root; return }
        if text.hasPrefix("/") { throw refuse("is absolute") }
        if text.unicodeScalars.contains(where: { $0 == "\\" }) { throw refuse("holds a backslash") }
        if text.unicodeScalars.contains(where: NameComponent.isControl) { throw refuse("holds a control character (NUL included)") }
        if Self.holdsPercentEscape(text) { throw refuse("holds a percent-encoded character after decoding (double encoding)") }
        var trimmed = Substring(text)
        if trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        var components: [String] = []
        for component in trimmed.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { throw refuse("has an empty component ('//')") }
            if component == "." || component == ".." { throw refuse("has a '\(component)' component") }
            if component.utf8.count > NameComponent.maxBytes { throw refuse("has a component longer than \(NameComponent.maxBytes) bytes") }
            components.append(String(component))
        }
        self.components = components
    }

    /// The path with `component` added.
    public func appending(_ component: String) throws(CairnError) -> ArtifactPath {
        try ArtifactPath(components.isEmpty ? component : description + "/" + component)
    }

    public var description: String { components.joined(separator: "/") }

    /// True when `%` is followed by two hex digits somewhere in the text.
    private static func holdsPercentEscape(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3 else { return false }
        for index in 0..<(bytes.count - 2) where bytes[index] == UInt8(ascii: "%") {
            if isHex(bytes[index + 1]) && isHex(bytes[index + 2]) { return true }
        }
        return false
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}
