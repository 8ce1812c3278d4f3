import CairnCore

/// Where a ``TarReader`` reads an archive's bytes from (a decompressor, a file).
public protocol TarByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`.
    /// - Returns: the bytes read; 0 only at the end of the stream.
    /// - Throws: `CairnError` when the stream cannot be read or is damaged.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(CairnError) -> Int
}
