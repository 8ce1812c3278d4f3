/// What each of a layout's file templates needs of a path before it is worth matching: how many `/` the
/// path can hold, and the literal text it must start and end with. Plain numbers and bytes, read in
/// place, so that ruling a template out costs no reference counting: on a tree of another convention
/// (what `auto` meets for every layout but one), nearly every template is ruled out this way, most of
/// them once per folder rather than once per file.
struct FileTemplateFilter: Sendable {
    /// One template's limits; `head` and `tail` are ranges of ``bytes``.
    struct Limits: Sendable {
        var minSlashes: Int
        /// Int.max: no limit.
        var maxSlashes: Int
        var headStart: Int, headCount: Int
        var tailStart: Int, tailCount: Int
    }

    let limits: [Limits]
    let bytes: [UInt8]

    /// - Precondition: at most 64 templates (a layout has one per file role).
    init(_ templates: [PathTemplate]) {
        precondition(templates.count <= 64, "a file template filter holds at most 64 templates")
        var limits: [Limits] = []
        var bytes: [UInt8] = []
        for template in templates {
            let compiled = template.compiled
            let slashes = compiled.slashRange
            let headStart = bytes.count
            bytes += compiled.head
            let tailStart = bytes.count
            bytes += compiled.tail
            limits.append(Limits(minSlashes: slashes.min, maxSlashes: slashes.max ?? Int.max,
                                 headStart: headStart, headCount: compiled.head.count,
                                 tailStart: tailStart, tailCount: compiled.tail.count))
        }
        self.limits = limits
        self.bytes = bytes
    }

    /// The templates (bit `i` for template `i`) that may match a file whose path inside its run folder
    /// starts with `folders` (the folders between the run folder and the file, without a trailing `/`;
    /// empty for a file directly in the run folder).
    func candidates(inside folders: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var slashes = 0
        for byte in folders where byte == UInt8(ascii: "/") { slashes += 1 }
        if !folders.isEmpty { slashes += 1 }
        var mask: UInt64 = 0
        limits.withUnsafeBufferPointer { limits in
            bytes.withUnsafeBufferPointer { bytes in
                for index in limits.indices {
                    let limit = limits[index]
                    guard slashes >= limit.minSlashes, slashes <= limit.maxSlashes else { continue }
                    // The head's bytes that fall in the folders (and the '/' after them) are known already.
                    let known = folders.isEmpty ? 0 : folders.count + 1
                    var agrees = true
                    for i in 0..<min(limit.headCount, known) {
                        let byte = i < folders.count ? folders[i] : UInt8(ascii: "/")
                        if bytes[limit.headStart + i] != byte { agrees = false; break }
                    }
                    if agrees { mask |= 1 << UInt64(index) }
                }
            }
        }
        return mask
    }

    /// Whether template `index` may match `path` (a whole path inside a run folder) by its head and tail.
    @inline(__always)
    static func mayMatch(_ limit: Limits, _ filterBytes: UnsafeBufferPointer<UInt8>, _ path: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = path.count
        guard count >= limit.tailCount, count >= limit.headCount else { return false }
        var i = 0
        while i < limit.tailCount {
            if path[count - limit.tailCount + i] != filterBytes[limit.tailStart + i] { return false }
            i += 1
        }
        i = 0
        while i < limit.headCount {
            if path[i] != filterBytes[limit.headStart + i] { return false }
            i += 1
        }
        return true
    }
}
