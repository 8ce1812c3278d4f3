import Glibc
import CCairnNative
import CairnCore

/// SHA-256 of files, computed with large reads (swift-crypto uses the CPU's SHA extensions), and a
/// copy that hashes in the same pass and fsyncs the copy.
enum FileDigest {
    /// Bytes per read.
    static let chunkSize = 8 * 1024 * 1024

    /// The lower-case hex SHA-256 of a file and its size.
    /// - Parameter progress: called with the bytes hashed so far, after each chunk.
    static func sha256(ofFile path: String, progress: ((Int64) -> Void)? = nil) throws(CairnError) -> (hex: String, bytes: Int64) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.make("read", path: path) }
        defer { close(fd) }
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        // One thread, reads small enough to stay in the CPU's cache while they are hashed, as `openssl
        // dgst` does; the kernel's read-ahead keeps the disk busy meanwhile. (Reading 8 MiB chunks
        // while another thread hashed the previous one measured 5-6% slower: every byte went through
        // memory twice.)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: hashReadSize, alignment: 4096)
        defer { buffer.deallocate() }
        let hasher = SHA256Hasher()
        var total: Int64 = 0
        while true {
            let filled = try readFully(fd, into: buffer, path: path)
            if filled == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
            total += Int64(filled)
            if let progress, total % Int64(chunkSize) < Int64(filled) { progress(total) }
        }
        return (hasher.finalizeHex(), total)
    }

    /// The read size of ``sha256(ofFile:progress:)``.
    static let hashReadSize = 256 * 1024

    /// Copies `source` to a new file `destination` (which must not exist), hashing the bytes in the
    /// same pass. The copy is fsynced before this returns.
    /// - Parameter mode: the copy's permissions; nil for the source's (with the owner's read and write).
    static func copyHashing(from source: String, to destination: String, mode: mode_t? = nil,
                            progress: ((Int64) -> Void)? = nil) throws(CairnError) -> (hex: String, bytes: Int64) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw SystemError.make("read", path: source) }
        defer { close(input) }
        _ = posix_fadvise(input, 0, 0, POSIX_FADV_SEQUENTIAL)
        var info = stat()
        fstat(input, &info)
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(info.st_mode & 0o777) | 0o600)
        guard output >= 0 else { throw SystemError.make("write", path: destination) }
        var closed = false
        defer { if !closed { close(output) } }
        if let mode, fchmod(output, mode) != 0 { throw SystemError.make("set the permissions of", path: destination) }
        // One thread and reads small enough that each block is still in the CPU's cache when it is
        // hashed and written, as in `sha256(ofFile:)`. (Hashing 8 MiB chunks on a second thread while
        // this one wrote them measured 1.05x the peer against 0.81x for this loop: every byte went
        // through memory twice and the threads fought over it.)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: hashReadSize, alignment: 4096)
        defer { buffer.deallocate() }
        let hasher = SHA256Hasher()
        var total: Int64 = 0
        var writtenBack: Int64 = 0
        while true {
            let filled = try readFully(input, into: buffer, path: source)
            if filled == 0 { break }
            let block = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            hasher.update(block)
            if let code = FileSystem.writeAll(output, block) { throw SystemError.make("write", path: destination, errno: code) }
            total += Int64(filled)
            if total - writtenBack >= Int64(chunkSize) {
                // Start writing what is written so far back to disk now, so the final fsync has
                // little left to do.
                _ = cairn_start_writeback(output, writtenBack, total - writtenBack)
                writtenBack = total
                progress?(total)
            }
        }
        if writtenBack < total { progress?(total) }
        if fsync(output) != 0 { throw SystemError.make("write", path: destination) }
        closed = true
        if close(output) != 0 { throw SystemError.make("write", path: destination) }
        return (hasher.finalizeHex(), total)
    }

    private static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws(CairnError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError.make("read", path: path)
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
