#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
    /// same pass: while one chunk is written, the same chunk is hashed on another core. The copy is
    /// fsynced before this returns.
    static func copyHashing(from source: String, to destination: String,
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
        let buffers = [UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 4096),
                       UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 4096)]
        defer { buffers.forEach { $0.deallocate() } }
        let hasher = HasherBox()
        var total: Int64 = 0
        var current = 0
        var filled = try readFully(input, into: buffers[current], path: source)
        while filled > 0 {
            let chunk = UnsafeRawBufferPointer(rebasing: buffers[current][0..<filled])
            let chunkOffset = total
            // Hash this chunk on another thread while this one writes it and reads the next.
            let hashing = hasher.start(chunk)
            var offset = 0
            var writeError: CairnError?
            while offset < filled {
                let n = write(output, chunk.baseAddress! + offset, filled - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    writeError = SystemError.make("write", path: destination)
                    break
                }
                offset += n
            }
            // Start writing this chunk back to disk now, so the final fsync has little left to do.
            if writeError == nil { _ = cairn_start_writeback(output, chunkOffset, Int64(filled)) }
            let next = 1 - current
            var nextFilled = 0
            var readError: CairnError?
            if writeError == nil {
                do { nextFilled = try readFully(input, into: buffers[next], path: source) } catch { readError = error }
            }
            hashing.wait()
            if let writeError { throw writeError }
            if let readError { throw readError }
            total += Int64(filled)
            progress?(total)
            current = next
            filled = nextFilled
        }
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

/// A SHA-256 hasher fed from a helper thread, one chunk at a time.
private final class HasherBox: @unchecked Sendable {
    private let hasher = SHA256Hasher()

    struct Pending {
        let thread: pthread_t
        func wait() { pthread_join(thread, nil) }
    }

    final class Job {
        let box: HasherBox
        let chunk: UnsafeRawBufferPointer
        init(box: HasherBox, chunk: UnsafeRawBufferPointer) { self.box = box; self.chunk = chunk }
    }

    func start(_ chunk: UnsafeRawBufferPointer) -> Pending {
        let job = Unmanaged.passRetained(Job(box: self, chunk: chunk)).toOpaque()
        var thread = pthread_t()
        pthread_create(&thread, nil, { raw in
            let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
            job.box.hasher.update(job.chunk)
            return nil
        }, job)
        return Pending(thread: thread)
    }

    func finalizeHex() -> String { hasher.finalizeHex() }
}
