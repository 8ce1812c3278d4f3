import CairnCore

/// The version of the on-disk format a store is written in (`format:` in `cairn.yaml`).
/// A reader accepts any minor version of its major and refuses a newer major (docs/FORMAT.md).
public struct StoreFormat: Sendable, Equatable, CustomStringConvertible {
    /// The major version: a reader refuses a store whose major is newer than its own.
    public var major: Int
    /// The minor version: additions a reader of the same major may ignore.
    public var minor: Int

    /// The format this build of Cairn writes.
    public static let current = StoreFormat(major: 1, minor: 1)

    /// A format version.
    /// - Parameters:
    ///   - major: the major version.
    ///   - minor: the minor version.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `MAJOR.MINOR` (or a bare `MAJOR`).
    /// - Parameter text: the version as written in `cairn.yaml`; nil for anything else (negative
    ///   numbers, more than two parts).
    public init?(text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let major = Int(parts[0]), major >= 0 else { return nil }
        let minor = parts.count == 2 ? Int(parts[1]) : 0
        guard let minor, minor >= 0 else { return nil }
        self.init(major: major, minor: minor)
    }

    /// The version as `cairn.yaml` writes it: `MAJOR.MINOR` (`1.0`).
    public var description: String { "\(major).\(minor)" }
}
