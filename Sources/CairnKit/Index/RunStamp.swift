import Glibc

/// The files a run's indexed facts were read from, each with its ``FileStamp`` when read: a run is
/// read again when one of them changed. Kept in the index as text, one `STAMP<TAB>PATH` line per file
/// (paths relative to the tree's root, or absolute outside it).
struct RunStamp: Equatable, Sendable {
    var files: [(path: String, stamp: String)]

    /// Stamps `paths` (absolute) now, except those in `known`, stamped when they were read (nil: it was
    /// missing then): a file that changed after it was read must not look current.
    init(paths: [String], treeRoot: String, known: [String: FileStamp?] = [:]) {
        var seen = Set<String>()
        files = []
        for path in paths where seen.insert(path).inserted {
            let stamp = known[path] ?? FileStamp.of(path)
            files.append((Self.relative(path, to: treeRoot), FileStamp.text(stamp)))
        }
    }

    var text: String { files.map { $0.stamp + "\t" + $0.path }.joined(separator: "\n") }

    /// True when every file of a stamp kept as ``text`` still has the stamp it had; false for text that
    /// is not a stamp. Works on the text's bytes (a search checks each run it returns, a sweep every run):
    /// parsing it into strings first took an eighth of a search's time.
    ///
    /// The files under the first one (the run folder) are looked up from that folder, opened once
    /// (`fstatat` on its descriptor): a path walked from the root for each file cost a search's check of
    /// its page of runs half its time.
    ///
    /// With `metricsGrownSince` (kernel nanoseconds), a metrics CSV that only grew (the same inode, no
    /// shorter) counts as current while the stamp kept for it is that recent: a run a server is logging
    /// to and writing into the index before each acknowledgement, whose newest rows are in flight.
    static func isCurrent(text: String, treeRoot: String, metricsGrownSince: Int64? = nil) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var path: [UInt8] = []
            var expected: [UInt8] = []
            var folder: ArraySlice<UInt8> = []
            var folderFD: Int32 = -1
            defer { if folderFD >= 0 { close(folderFD) } }
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
                defer { start = end + 1 }
                if end == start { continue }
                guard let tab = bytes[start..<end].firstIndex(of: UInt8(ascii: "\t")), tab + 1 < end else { return false }
                let relative = bytes[(tab + 1)..<end]
                path.removeAll(keepingCapacity: true)
                let underFolder = folderFD >= 0 && relative.count > folder.count + 1 && relative.starts(with: folder)
                    && relative[relative.startIndex + folder.count] == UInt8(ascii: "/")
                if underFolder {
                    path.append(contentsOf: relative.dropFirst(folder.count + 1))
                } else {
                    if relative.first != UInt8(ascii: "/") {
                        path.append(contentsOf: treeRoot.utf8)
                        path.append(UInt8(ascii: "/"))
                    }
                    path.append(contentsOf: relative)
                }
                path.append(0)
                let isFirst = start == 0
                let stamp = path.withUnsafeBufferPointer { buffer in
                    buffer.withMemoryRebound(to: CChar.self) { cPath -> FileStamp? in
                        if underFolder { return FileStamp.of(cPath: cPath.baseAddress!, relativeTo: folderFD) }
                        let stamp = FileStamp.of(cPath: cPath.baseAddress!)
                        if isFirst, stamp != nil {
                            folderFD = open(cPath.baseAddress!, O_RDONLY | O_DIRECTORY | O_CLOEXEC)  // -1: paths from the root
                            folder = ArraySlice(relative)
                        }
                        return stamp
                    }
                }
                expected.removeAll(keepingCapacity: true)
                if let stamp {
                    appendDecimal(stamp.inode, to: &expected)
                    expected.append(UInt8(ascii: ":"))
                    appendDecimal(stamp.size, to: &expected)
                    expected.append(UInt8(ascii: ":"))
                    appendDecimal(stamp.modified, to: &expected)
                } else {
                    expected.append(UInt8(ascii: "-"))
                }
                if !expected.elementsEqual(bytes[start..<tab]) {
                    guard let since = metricsGrownSince, let stamp, relative.count > Self.metricsFileName.count,
                          relative.suffix(Self.metricsFileName.count).elementsEqual(Self.metricsFileName),
                          let kept = FileStamp(text: bytes[start..<tab]), kept.inode == stamp.inode, stamp.size >= kept.size,
                          kept.modified >= since else { return false }
                }
            }
            return true
        }
    }

    /// ``isCurrent(text:treeRoot:metricsGrownSince:)`` of each stamp, checked on both cores (a search's
    /// page, a sweep).
    static func areCurrent(_ texts: [String], treeRoot: String, metricsGrownSince: Int64? = nil) -> [Bool] {
        ParallelMap.map(texts.count, minimumForThreads: 16) {
            isCurrent(text: texts[$0], treeRoot: treeRoot, metricsGrownSince: metricsGrownSince)
        }
    }

    private static let metricsFileName = Array("/metrics.csv".utf8)

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
