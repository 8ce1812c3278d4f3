import Glibc
import CairnCore

/// A file mapped read-only into memory: its bytes are read by the kernel as they are touched, never
/// copied. The mapping lives as long as this object.
public final class MappedFile: @unchecked Sendable {
    /// The file's bytes (empty for an empty file).
    public let bytes: UnsafeRawBufferPointer
    /// The file, absolute.
    public let path: String

    /// Maps a file.
    /// - Throws: `CairnError` of kind `.notFound`, `.permissionDenied` or `.io` when it cannot be opened
    ///   or mapped.
    public init(_ path: String) throws(CairnError) {
        self.path = Paths.absolute(path)
        let descriptor = open(self.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemError.make("read", path: self.path) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SystemError.make("read", path: self.path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw CairnError(.invalidValue, "'\(path)' is not a regular file", hint: "give a file")
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), base != MAP_FAILED else {
            throw SystemError.make("map", path: self.path)
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    /// Asks the kernel to start reading a range of the file (`madvise(MADV_WILLNEED)`), so that touching
    /// it sequentially soon after waits less on a cold cache; a hint, nothing happens when it fails.
    public func prefetch(_ range: Range<Int>) {
        guard let base = bytes.baseAddress, !range.isEmpty, range.lowerBound >= 0, range.upperBound <= bytes.count else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = range.lowerBound / page * page
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), range.upperBound - start, MADV_WILLNEED)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
