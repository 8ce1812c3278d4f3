import CCairnNative
import CairnCore
import CairnFormats
import Glibc

/// Decompresses a gzip file through the system's zlib, member after member (see ``GzipWriter``), as a
/// ``TarByteSource``. A file that is not gzip, damaged (a CRC or length that does not match) or cut
/// short is an error of kind `.corrupt` naming the file.
final class GzipReader: TarByteSource {
    private let fd: Int32
    private let path: String
    private var stream = z_stream()
    private var input: [UInt8]
    private var inputStart = 0
    private var inputEnd = 0
    private var atEnd = false
    private var inMember = false
    private var initialized = false
    /// The compressed bytes read so far (for progress).
    private(set) var compressedBytes: Int64 = 0

    /// A reader of an open file (the caller closes it).
    init(fd: Int32, path: String, bufferSize: Int = 1 << 20) {
        self.fd = fd
        self.path = path
        input = [UInt8](repeating: 0, count: bufferSize)
    }

    deinit {
        if initialized { inflateEnd(&stream) }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(CairnError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if inputStart == inputEnd && !atEnd { try fill() }
            if inputStart == inputEnd && atEnd {
                if inMember { throw corrupt("it is truncated (the gzip stream ends early)") }
                return 0
            }
            if !inMember {
                if initialized {
                    inflateReset(&stream)
                } else {
                    guard cairn_inflate_init_gzip(&stream) == Z_OK else { throw CairnError(.io, "zlib could not start reading '\(path)'") }
                    initialized = true
                }
                inMember = true
            }
            let start = inputStart
            let available = inputEnd - inputStart
            let (result, consumed, produced) = input.withUnsafeMutableBytes { raw -> (Int32, Int, Int) in
                stream.next_in = (raw.baseAddress! + start).assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(available)
                stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(buffer.count)
                let result = inflate(&stream, Z_NO_FLUSH)
                return (result, available - Int(stream.avail_in), buffer.count - Int(stream.avail_out))
            }
            inputStart += consumed
            switch result {
            case Z_STREAM_END:
                inMember = false
            case Z_OK, Z_BUF_ERROR:
                break
            case Z_DATA_ERROR:
                let message = stream.msg.map { String(cString: $0) } ?? "invalid data"
                throw corrupt(compressedBytes <= Int64(input.count) && message.contains("header") ? "it is not a gzip file (\(message))" : "its gzip data is damaged (\(message))")
            default:
                throw corrupt("zlib failed (\(result))")
            }
            if produced > 0 { return produced }
        }
    }

    private func fill() throws(CairnError) {
        var count = input.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress!, raw.count) }
        while count < 0 && errno == EINTR { count = input.withUnsafeMutableBytes { raw in Glibc.read(fd, raw.baseAddress!, raw.count) } }
        if count < 0 { throw SystemError.make("read", path: path) }
        inputStart = 0
        inputEnd = count
        compressedBytes += Int64(count)
        if count == 0 { atEnd = true }
    }

    private func corrupt(_ what: String) -> CairnError {
        CairnError(.corrupt, "the archive '\(path)' cannot be read: \(what)", hint: "copy the whole file again, or make the archive again")
    }
}
