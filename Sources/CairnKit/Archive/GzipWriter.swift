import CCairnNative
import CairnCore
import Dispatch
import Glibc

/// Compresses a stream to gzip through the system's zlib (`deflateInit2`, window bits 15 + 16) and
/// writes it to a file descriptor.
///
/// The input is cut into chunks (4 MiB) compressed as separate gzip members, two at a time on both
/// cores (a gzip file may hold several members one after the other: RFC 1952 §2.2; gzip, GNU tar,
/// Python and zlib's readers take them as one stream). Each chunk loses only the first 32 KiB of
/// history of the one before it, so the output is within a fraction of a percent of one member's.
final class GzipWriter {
    private let fd: Int32
    private let path: String
    private let level: Int32
    private let chunkSize: Int
    private var chunks: [[UInt8]]
    private var filled: [Int]
    private var current = 0
    /// The compressed bytes written so far.
    private(set) var compressedBytes: Int64 = 0

    /// A writer.
    /// - Parameters:
    ///   - fd: the file to write to (the caller closes it).
    ///   - path: the file's path, for errors.
    ///   - level: zlib's compression level, 0–9.
    ///   - chunkSize: the bytes of each gzip member.
    ///   - threads: the members compressed at once.
    init(fd: Int32, path: String, level: Int32, chunkSize: Int = 4 << 20, threads: Int = 2) {
        self.fd = fd
        self.path = path
        self.level = level
        self.chunkSize = chunkSize
        chunks = (0..<max(1, threads)).map { _ in [UInt8](repeating: 0, count: chunkSize) }
        filled = [Int](repeating: 0, count: max(1, threads))
    }

    /// Adds bytes to the stream.
    /// - Throws: `CairnError` when the file cannot be written.
    func write(_ bytes: UnsafeRawBufferPointer) throws(CairnError) {
        var offset = 0
        while offset < bytes.count {
            let take = min(chunkSize - filled[current], bytes.count - offset)
            let at = filled[current]
            chunks[current].withUnsafeMutableBytes { raw in
                (raw.baseAddress! + at).copyMemory(from: bytes.baseAddress! + offset, byteCount: take)
            }
            filled[current] += take
            offset += take
            if filled[current] == chunkSize {
                current += 1
                if current == chunks.count { try flushChunks() }
            }
        }
    }

    /// Adds bytes to the stream.
    func write(_ bytes: [UInt8]) throws(CairnError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(CairnError) in try write(raw) } }.get()
    }

    /// Compresses and writes what is buffered; the stream is complete afterwards.
    func finish() throws(CairnError) {
        try flushChunks()
    }

    /// Compresses the filled chunks, at once on as many threads, and writes them in order.
    private func flushChunks() throws(CairnError) {
        let count = filled.filter { $0 > 0 }.count
        current = 0
        guard count > 0 else { return }
        nonisolated(unsafe) var outputs = [[UInt8]?](repeating: nil, count: count)
        let chunks = self.chunks
        let filled = self.filled
        let level = self.level
        outputs.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: count) { index in
                slots[index] = chunks[index].withUnsafeBytes { raw in
                    Self.compress(UnsafeRawBufferPointer(rebasing: raw[..<filled[index]]), level: level)
                }
            }
        }
        for index in 0..<count {
            guard let output = outputs[index] else {
                throw CairnError(.io, "zlib could not compress the archive '\(path)'", hint: "check the compression level (0–9)")
            }
            if FileSystem.writeAll(fd, output) != nil { throw SystemError.make("write", path: path) }
            compressedBytes += Int64(output.count)
            self.filled[index] = 0
        }
    }

    /// One gzip member holding `input`; nil when zlib fails.
    static func compress(_ input: UnsafeRawBufferPointer, level: Int32) -> [UInt8]? {
        var stream = z_stream()
        guard cairn_deflate_init_gzip(&stream, level) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 64
        var output = [UInt8](repeating: 0, count: bound)
        let result = output.withUnsafeMutableBytes { out -> Int32 in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(out.count)
            return deflate(&stream, Z_FINISH)
        }
        guard result == Z_STREAM_END else { return nil }
        output.removeLast(output.count - Int(stream.total_out))
        return output
    }
}
