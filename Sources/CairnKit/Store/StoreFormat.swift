import CairnCore

/// The version of the on-disk format a store is written in (`format:` in `cairn.yaml`).
/// A reader accepts any minor version of its major and refuses a newer major (docs/FORMAT.md).
public struct StoreFormat: Sendable, Equatable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    /// The format this build of Cairn writes.
    public static let current = StoreFormat(major: 1, minor: 0)

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `MAJOR.MINOR` (or a bare `MAJOR`).
    public init?(text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let major = Int(parts[0]), major >= 0 else { return nil }
        let minor = parts.count == 2 ? Int(parts[1]) : 0
        guard let minor, minor >= 0 else { return nil }
        self.init(major: major, minor: minor)
    }

    public var description: String { "\(major).\(minor)" }
}
