import CairnCore

/// Reads a tar archive member by member from a stream, never holding more than one buffer of it:
/// ustar headers, pax extended headers (`path`, `linkpath`, `size`; global headers skipped) and GNU
/// long names (`L`, `K`). Every header's checksum is checked; an archive that ends before its two zero
/// blocks is truncated.
public final class TarReader {
    private let source: any TarByteSource
    private let name: String
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    /// The bytes of the current member's data not yet read, and the padding after them.
    private var remaining: Int64 = 0
    private var padding = 0

    /// A reader.
    /// - Parameters:
    ///   - source: the archive's bytes.
    ///   - name: what error messages call the archive (its path).
    ///   - bufferSize: the bytes read from `source` at once.
    public init(_ source: any TarByteSource, name: String, bufferSize: Int = 1 << 20) {
        self.source = source
        self.name = name
        buffer = [UInt8](repeating: 0, count: max(bufferSize, 8192))
    }

    /// The next member's header, after skipping what is left of the current member's data.
    /// - Returns: the member, or nil at the end of the archive.
    /// - Throws: `CairnError` of kind `.corrupt` for a damaged or truncated archive.
    public func next() throws(CairnError) -> TarEntry? {
        try skipData()
        var pax: [String: String] = [:]
        var longName: String?
        var longLink: String?
        while true {
            guard let header = try readBlock() else { throw truncated("before its end-of-archive blocks") }
            if header.allSatisfy({ $0 == 0 }) { return nil }
            try checkChecksum(header)
            let type = header[156]
            let size = try Self.number(header[124..<136], field: "size", archive: name)
            switch type {
            case UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"):
                guard size <= 1 << 20 else { throw corrupt("an extended header of \(size) bytes") }
                let body = try readBytes(Int(size))
                _ = try readBytes(TarHeader.padding(after: size))
                if type == UInt8(ascii: "x") { pax.merge(try Self.paxRecords(body, archive: name)) { $1 } }
                if type == UInt8(ascii: "L") { longName = Self.text(body[...]) }
                if type == UInt8(ascii: "K") { longLink = Self.text(body[...]) }
                continue
            default:
                break
            }
            var path = Self.text(header[0..<100])
            if header[257..<262].elementsEqual("ustar".utf8) {
                let prefix = Self.text(header[345..<500])
                if !prefix.isEmpty { path = prefix + "/" + path }
            }
            if let longName { path = longName }
            if let value = pax["path"] { path = value }
            var link = Self.text(header[157..<257])
            if let longLink { link = longLink }
            if let value = pax["linkpath"] { link = value }
            var entrySize = size
            if let value = pax["size"] {
                guard let parsed = Int64(value), parsed >= 0 else { throw corrupt("a pax size '\(value)'") }
                entrySize = parsed
            }
            let kind: TarEntry.Kind
            switch type {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): kind = .file
            case UInt8(ascii: "5"): kind = .directory
            case UInt8(ascii: "2"): kind = .symlink
            default: kind = .other(type)
            }
            if kind == .directory { while path.hasSuffix("/") && path.count > 1 { path.removeLast() } }
            // Links, devices, fifos and folders carry no data whatever their size field says.
            let hasData = !(UInt8(ascii: "1")...UInt8(ascii: "6")).contains(type)
            remaining = hasData ? entrySize : 0
            padding = hasData ? TarHeader.padding(after: entrySize) : 0
            let mode = UInt32(truncatingIfNeeded: try Self.number(header[100..<108], field: "mode", archive: name))
            let time = try Self.number(header[136..<148], field: "mtime", archive: name)
            return TarEntry(path: path, kind: kind, size: hasData ? entrySize : 0, mode: mode & 0o7777, modificationTime: time, linkTarget: link)
        }
    }

    /// Streams the current member's data to `body`, buffer by buffer.
    /// - Throws: `CairnError` of kind `.corrupt` when the archive ends inside the data; what `body` throws.
    public func readData(_ body: (UnsafeRawBufferPointer) throws(CairnError) -> Void) throws(CairnError) {
        while remaining > 0 {
            if start == end {
                guard try refill() else { throw truncated("inside a member's data") }
            }
            let count = Int(min(Int64(end - start), remaining))
            let from = start
            try buffer.withUnsafeBytes { raw in Result { () throws(CairnError) in try body(UnsafeRawBufferPointer(rebasing: raw[from..<(from + count)])) } }.get()
            start += count
            remaining -= Int64(count)
        }
        if padding > 0 {
            _ = try readBytes(padding)
            padding = 0
        }
    }

    // MARK: Internal

    private func skipData() throws(CairnError) {
        try readData { _ in }
    }

    private func refill() throws(CairnError) -> Bool {
        if start == end { start = 0; end = 0 }
        if start > 0 && end == buffer.count {
            buffer.withUnsafeMutableBytes { raw in
                raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: end - start)
            }
            end -= start
            start = 0
        }
        let from = end
        let source = self.source
        let count = try buffer.withUnsafeMutableBytes { raw in
            Result { () throws(CairnError) -> Int in try source.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[from...])) }
        }.get()
        end += count
        return count > 0
    }

    private func readBytes(_ count: Int) throws(CairnError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            if start == end {
                guard try refill() else { throw truncated("inside a header") }
            }
            let take = min(end - start, count - out.count)
            out += buffer[start..<(start + take)]
            start += take
        }
        return out
    }

    /// One block, or nil at the end of the stream (bytes short of a block are a truncation).
    private func readBlock() throws(CairnError) -> [UInt8]? {
        if start == end, try !refill() { return nil }
        return try readBytes(TarHeader.blockSize)
    }

    private func checkChecksum(_ header: [UInt8]) throws(CairnError) {
        var sum: Int64 = 0
        for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 32 : Int64(byte) }
        let recorded = try Self.number(header[148..<156], field: "checksum", archive: name)
        if recorded != sum { throw corrupt("a header whose checksum does not match (not a tar archive, or damaged)") }
    }

    private func corrupt(_ what: String) -> CairnError {
        CairnError(.corrupt, "the archive '\(name)' is damaged: \(what)", hint: "make the archive again from its source")
    }

    private func truncated(_ where: String) -> CairnError {
        CairnError(.corrupt, "the archive '\(name)' is truncated: it ends \(`where`)", hint: "copy the whole file again, or make the archive again")
    }

    /// A numeric header field: octal digits (spaces and NULs around them), or base-256 (high bit set).
    static func number(_ bytes: ArraySlice<UInt8>, field: String, archive: String) throws(CairnError) -> Int64 {
        if let first = bytes.first, first & 0x80 != 0 {
            var value: Int64 = Int64(first & 0x7F)
            for byte in bytes.dropFirst() {
                guard value < Int64.max >> 8 else { break }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        var value: Int64 = 0
        var seen = false
        for byte in bytes {
            if byte == 0 || byte == UInt8(ascii: " ") {
                if seen { break } else { continue }
            }
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7"), value < Int64.max >> 3 else {
                throw CairnError(.corrupt, "the archive '\(archive)' is damaged: a header's \(field) field is not a number",
                                 hint: "make the archive again from its source")
            }
            value = value << 3 | Int64(byte - UInt8(ascii: "0"))
            seen = true
        }
        return value
    }

    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        let cut = bytes.firstIndex(of: 0) ?? bytes.endIndex
        return String(decoding: bytes[bytes.startIndex..<cut], as: UTF8.self)
    }

    static func paxRecords(_ body: [UInt8], archive: String) throws(CairnError) -> [String: String] {
        var records: [String: String] = [:]
        var index = 0
        while index < body.count {
            guard let space = body[index...].firstIndex(of: UInt8(ascii: " ")),
                  let length = Int(String(decoding: body[index..<space], as: UTF8.self)), length > space - index,
                  index + length <= body.count, body[index + length - 1] == UInt8(ascii: "\n"),
                  let equals = body[(space + 1)..<(index + length)].firstIndex(of: UInt8(ascii: "=")) else {
                throw CairnError(.corrupt, "the archive '\(archive)' is damaged: a pax extended header is malformed",
                                 hint: "make the archive again from its source")
            }
            let key = String(decoding: body[(space + 1)..<equals], as: UTF8.self)
            records[key] = String(decoding: body[(equals + 1)..<(index + length - 1)], as: UTF8.self)
            index += length
        }
        return records
    }
}
