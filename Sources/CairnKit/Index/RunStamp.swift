/// The files a run's indexed facts were read from, each with its ``FileStamp`` when read: a run is
/// read again when one of them changed. Kept in the index as text, one `STAMP<TAB>PATH` line per file
/// (paths relative to the tree's root, or absolute outside it).
struct RunStamp: Equatable, Sendable {
    var files: [(path: String, stamp: String)]

    /// Stamps `paths` (absolute) now.
    init(paths: [String], treeRoot: String) {
        var seen = Set<String>()
        files = []
        for path in paths where seen.insert(path).inserted {
            files.append((Self.relative(path, to: treeRoot), FileStamp.text(FileStamp.of(path))))
        }
    }

    var text: String { files.map { $0.stamp + "\t" + $0.path }.joined(separator: "\n") }

    /// True when every file of a stamp kept as ``text`` still has the stamp it had; false for text that
    /// is not a stamp. Works on the text's bytes (a search checks each run it returns, a sweep every run):
    /// parsing it into strings first took an eighth of a search's time.
    static func isCurrent(text: String, treeRoot: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var path: [UInt8] = []
            var expected: [UInt8] = []
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
                defer { start = end + 1 }
                if end == start { continue }
                guard let tab = bytes[start..<end].firstIndex(of: UInt8(ascii: "\t")), tab + 1 < end else { return false }
                path.removeAll(keepingCapacity: true)
                if bytes[tab + 1] != UInt8(ascii: "/") {
                    path.append(contentsOf: treeRoot.utf8)
                    path.append(UInt8(ascii: "/"))
                }
                path.append(contentsOf: bytes[(tab + 1)..<end])
                path.append(0)
                expected.removeAll(keepingCapacity: true)
                let stamp = path.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { FileStamp.of(cPath: $0.baseAddress!) }
                }
                if let stamp {
                    appendDecimal(stamp.inode, to: &expected)
                    expected.append(UInt8(ascii: ":"))
                    appendDecimal(stamp.size, to: &expected)
                    expected.append(UInt8(ascii: ":"))
                    appendDecimal(stamp.modified, to: &expected)
                } else {
                    expected.append(UInt8(ascii: "-"))
                }
                if !expected.elementsEqual(bytes[start..<tab]) { return false }
            }
            return true
        }
    }

    private static func appendDecimal<Number: BinaryInteger>(_ number: Number, to bytes: inout [UInt8]) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        let first = bytes.count
        var rest = number.magnitude
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        bytes[first...].reverse()  // Written from the last digit.
    }

    static func == (lhs: RunStamp, rhs: RunStamp) -> Bool { lhs.text == rhs.text }

    private static func relative(_ path: String, to root: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    private static func absolute(_ path: String, _ root: String) -> String {
        path.hasPrefix("/") ? path : root + "/" + path
    }
}
