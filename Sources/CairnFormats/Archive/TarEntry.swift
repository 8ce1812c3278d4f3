import CairnCore

/// One member of a tar archive: what its header says (the bytes of a file follow it in the archive).
public struct TarEntry: Sendable, Equatable {
    /// The member's kind. Only the kinds Cairn writes are named; a reader reports any other as `.other`.
    public enum Kind: Sendable, Equatable {
        case file, directory, symlink
        /// Another type flag (a hard link, a device, a fifo…), by its byte.
        case other(UInt8)
    }

    /// The path inside the archive, `/`-separated (a folder's without its trailing `/`).
    public var path: String
    public var kind: Kind
    /// The bytes that follow the header (0 for anything but a file).
    public var size: Int64
    /// The permission bits (`0o644`…).
    public var mode: UInt32
    /// The modification time, in seconds since the epoch.
    public var modificationTime: Int64
    /// A link's target (symlinks only).
    public var linkTarget: String

    /// A member.
    /// - Parameters:
    ///   - path: the path inside the archive.
    ///   - kind: file, folder or link.
    ///   - size: a file's bytes.
    ///   - mode: permission bits.
    ///   - modificationTime: seconds since the epoch.
    ///   - linkTarget: a link's target.
    public init(path: String, kind: Kind, size: Int64 = 0, mode: UInt32 = 0o644, modificationTime: Int64 = 0, linkTarget: String = "") {
        self.path = path
        self.kind = kind
        self.size = size
        self.mode = mode
        self.modificationTime = modificationTime
        self.linkTarget = linkTarget
    }
}
