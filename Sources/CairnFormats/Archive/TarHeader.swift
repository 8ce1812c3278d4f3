import CairnCore

/// Encodes tar headers as POSIX.1-2001 (pax) archives: a ustar header per member, preceded by a pax
/// extended header (`x`) whenever a value does not fit ustar's fields (a path longer than 100 bytes
/// that cannot be split at a `/` into 155 + 100, a link target longer than 100 bytes, a size of 8 GiB
/// or more). GNU tar, bsdtar and Python's tarfile read them.
public enum TarHeader {
    /// The size of a tar block.
    public static let blockSize = 512

    /// The end of an archive: two zero blocks.
    public static let endOfArchive = [UInt8](repeating: 0, count: 1024)

    /// The zero bytes that pad `size` bytes of data to a whole block.
    public static func padding(after size: Int64) -> Int {
        let remainder = Int(size % Int64(blockSize))
        return remainder == 0 ? 0 : blockSize - remainder
    }

    /// The header blocks of one member (one block, or a pax header's blocks and then one block).
    public static func encode(_ entry: TarEntry) -> [UInt8] {
        var name = entry.path
        if entry.kind == .directory && !name.hasSuffix("/") { name += "/" }
        var pax: [(String, String)] = []
        let split = splitName(name)
        if split == nil { pax.append(("path", name)) }
        if entry.linkTarget.utf8.count > 100 { pax.append(("linkpath", entry.linkTarget)) }
        if entry.size > 0o77777777777 { pax.append(("size", String(entry.size))) }
        var out: [UInt8] = []
        if !pax.isEmpty {
            let body = paxRecords(pax)
            let shortName = "PaxHeaders/" + String(decoding: Array(name.utf8.suffix(80)), as: UTF8.self)
            out += block(name: splitName(shortName) ?? ("", "PaxHeaders/x"), type: UInt8(ascii: "x"), size: Int64(body.count),
                         mode: 0o644, time: entry.modificationTime, link: "")
            out += body
            out += [UInt8](repeating: 0, count: padding(after: Int64(body.count)))
        }
        let type: UInt8
        switch entry.kind {
        case .file: type = UInt8(ascii: "0")
        case .directory: type = UInt8(ascii: "5")
        case .symlink: type = UInt8(ascii: "2")
        case .other(let byte): type = byte
        }
        let fallback = (prefix: "", name: String(decoding: Array(name.utf8.prefix(100)), as: UTF8.self))
        out += block(name: split ?? fallback, type: type, size: entry.kind == .file ? entry.size : 0, mode: entry.mode,
                     time: entry.modificationTime, link: String(decoding: Array(entry.linkTarget.utf8.prefix(100)), as: UTF8.self))
        return out
    }

    /// ustar's prefix and name for a path, or nil when it fits neither as is nor split at a `/`.
    static func splitName(_ path: String) -> (prefix: String, name: String)? {
        let bytes = Array(path.utf8)
        if bytes.count <= 100 { return ("", path) }
        guard bytes.count <= 256 else { return nil }
        // The name part may end with the folder's `/`, so split at a `/` that is not the last byte.
        for index in stride(from: min(155, bytes.count - 2), through: 1, by: -1) where bytes[index] == UInt8(ascii: "/") {
            let name = bytes[(index + 1)...]
            if name.count <= 100 && !name.isEmpty {
                return (String(decoding: bytes[..<index], as: UTF8.self), String(decoding: name, as: UTF8.self))
            }
        }
        return nil
    }

    /// pax records, `"<length> <key>=<value>\n"`, the length counting itself.
    static func paxRecords(_ records: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (key, value) in records {
            let rest = " \(key)=\(value)\n".utf8.count
            var length = rest + String(rest).count
            if String(length).count != String(rest).count { length = rest + String(length).count }
            out += Array("\(length) \(key)=\(value)\n".utf8)
        }
        return out
    }

    private static func block(name: (prefix: String, name: String), type: UInt8, size: Int64, mode: UInt32, time: Int64, link: String) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: blockSize)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int64, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            let padded = String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits
            put(String(padded.suffix(width - 1)), at: offset, width: width - 1)
        }
        put(name.name, at: 0, width: 100)
        octal(Int64(mode & 0o7777), at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(min(size, 0o77777777777), at: 124, width: 12)
        octal(max(0, min(time, 0o77777777777)), at: 136, width: 12)
        block[156] = type
        put(link, at: 157, width: 100)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        put(name.prefix, at: 345, width: 155)
        for index in 148..<156 { block[index] = UInt8(ascii: " ") }
        let sum = block.reduce(0) { $0 + Int64($1) }
        octal(sum, at: 148, width: 7)
        block[154] = 0
        block[155] = UInt8(ascii: " ")
        return block
    }
}
