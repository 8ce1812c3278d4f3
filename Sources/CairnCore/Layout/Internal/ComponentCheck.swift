/// A fast, allocation-free form of ``NameComponent/validate(_:what:whole:)`` over UTF-8 bytes, for matching.
/// It decides plain-ASCII edges itself and defers to `NameComponent` when a component starts or ends with
/// a space or a non-ASCII byte (where Unicode white space rules apply), so it accepts exactly what
/// `NameComponent` accepts.
enum ComponentCheck {
    /// True if `bytes[start..<end]` is a valid name component.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let count = end - start
        guard count > 0, count <= NameComponent.maxBytes else { return false }
        let dot = UInt8(ascii: ".")
        if bytes[start] == dot && (count == 1 || (count == 2 && bytes[start + 1] == dot)) { return false }
        var i = start
        while i < end {
            let b = bytes[i]
            if b < 0x20 || b == 0x7F || b == UInt8(ascii: "\\") || b == UInt8(ascii: "/") { return false }
            if b == 0xC2, i + 1 < end, bytes[i + 1] >= 0x80, bytes[i + 1] <= 0x9F { return false }
            i += 1
        }
        let first = bytes[start], last = bytes[end - 1]
        if first < 0x80 && first != 0x20 && last < 0x80 && last != 0x20 { return true }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        // Only whether it is valid matters here; the caller reports invalid components its own way.
        return (try? NameComponent.validate(Substring(text), what: "", whole: "")) != nil
    }

    /// True if every `/`-separated component of `bytes[start..<end]` is valid (so no leading, trailing or doubled `/`).
    static func isValidPath(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var componentStart = start
        var i = start
        while i <= end {
            if i == end || bytes[i] == UInt8(ascii: "/") {
                guard isValid(bytes, componentStart, i) else { return false }
                componentStart = i + 1
            }
            i += 1
        }
        return true
    }
}
