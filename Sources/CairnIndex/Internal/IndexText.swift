/// Texts as the index stores them: PostgreSQL's `text` cannot hold the byte 0, and SQLite's C API
/// (as GRDB binds a string) stops at it, while a tag, a param or a filter's value may hold it. Byte 0
/// is written as the bytes 1 1, byte 1 as 1 2:
/// one-to-one, and order-preserving under byte comparison (the two codes start with the same byte, are
/// neither a prefix of the other, and sort as the bytes they stand for, all below byte 2), so equality,
/// `<` and ordering answer as on the original texts. Only LIKE's `_` differs: it matches one of the
/// two bytes of such a code.
package enum IndexText {
    package static func encode(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 <= 1 }) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            if byte <= 1 {
                bytes.append(1)
                bytes.append(byte + 1)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    package static func decode(_ text: String) -> String {
        guard text.utf8.contains(1) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var escaped = false
        for byte in text.utf8 {
            if escaped {
                bytes.append(byte - 1)
                escaped = false
            } else if byte == 1 {
                escaped = true
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
