import Glibc
import CairnCore
import Dispatch

/// Lists every file under a folder with `readdir` (the file type comes with the entry, so most files
/// cost no `stat`). Symlinks to folders are listed and never followed, so a loop cannot hang it.
/// Cairn's own `cairn.yaml` and `.cairn/` at the root are skipped, and so are Cairn's temporary files.
public enum TreeWalker {
    /// Walks `root`.
    /// - Parameters:
    ///   - root: the tree's root folder, absolute.
    ///   - progress: called with the number of files found so far, every 4,096 files.
    /// - Returns: every file, symlinked folder and problem found.
    /// - Throws: `CairnError` of kind `.notFound` if `root` is not a folder; `.permissionDenied` or
    ///   `.io` if it cannot be read (a folder below it that cannot be read is a problem of the
    ///   listing, not an error).
    public static func walk(_ root: String, progress: ((Int) -> Void)? = nil) throws(CairnError) -> TreeListing {
        guard FileSystem.isDirectory(root) else {
            throw CairnError(.notFound, "'\(root)' is not a folder", hint: "give the root folder of the tree")
        }
        var walker = Walker(listing: TreeListing(), progress: progress, sink: nil)
        try walker.visit(absolute: root, relative: "", isRoot: true)
        return walker.listing
    }

    /// Walks `root` on another thread and hands its files to `consume` on this one, in batches, as they
    /// are found: the caller's work on them overlaps the reading of the folders (on two cores, adopting
    /// a tree takes little more than walking it).
    /// - Parameters:
    ///   - root: the tree's root folder, absolute.
    ///   - progress: called with the number of files consumed so far, every 4,096 files or so.
    ///   - consume: called with each batch of files, relative to `root`, in the order ``walk(_:progress:)``
    ///     would list them.
    /// - Returns: the listing's symlinked folders and problems; its `files` stay empty.
    /// - Throws: what ``walk(_:progress:)`` throws.
    public static func walk(_ root: String, progress: ((Int) -> Void)? = nil,
                            consume: ([String]) -> Void) throws(CairnError) -> TreeListing {
        guard FileSystem.isDirectory(root) else {
            throw CairnError(.notFound, "'\(root)' is not a folder", hint: "give the root folder of the tree")
        }
        let channel = FileBatchChannel()
        DispatchQueue.global().async {
            var walker = Walker(listing: TreeListing(), progress: nil, sink: channel)
            do throws(CairnError) {
                try walker.visit(absolute: root, relative: "", isRoot: true)
                walker.flush()
                channel.finish(.success(walker.listing))
            } catch {
                walker.flush()
                channel.finish(.failure(error))
            }
        }
        var count = 0
        while let batch = channel.receive() {
            consume(batch)
            if let progress, (count + batch.count) / 4096 != count / 4096 { progress(count + batch.count) }
            count += batch.count
        }
        return try channel.result()
    }

    private struct Walker {
        var listing: TreeListing
        let progress: ((Int) -> Void)?
        /// Where files go in batches instead of into `listing.files`, if anywhere.
        let sink: FileBatchChannel?
        var pending: [String] = []

        /// Sends the files not sent yet.
        mutating func flush() {
            guard let sink, !pending.isEmpty else { return }
            sink.send(pending)
            pending = []
        }

        mutating func visit(absolute: String, relative: String, isRoot: Bool) throws(CairnError) {
            guard let dir = opendir(absolute) else {
                if isRoot { throw SystemError.make("read the folder", path: absolute) }
                listing.problems.append("\(relative)/: cannot be read (\(String(cString: strerror(errno))))")
                return
            }
            defer { closedir(dir) }
            let fd = dirfd(dir)
            var folderInfo = stat()
            if fstat(fd, &folderInfo) == 0 {
                listing.folderTimes[relative.isEmpty ? "." : relative] = Int64(folderInfo.st_mtim.tv_sec) * 1_000_000_000 + Int64(folderInfo.st_mtim.tv_nsec)
            }
            var files: [String] = [], folders: [String] = []
            // Each file's path is made in one allocation from the folder's prefix and the entry's name.
            let prefix: [UInt8] = relative.isEmpty ? [] : Array(relative.utf8) + [UInt8(ascii: "/")]
            while let entry = readdir(dir) {
                let type = entry.pointee.d_type
                if type == UInt8(DT_REG), !isRoot, let path = Self.plainFilePath(entry, prefix: prefix) {
                    files.append(path)
                    continue
                }
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String? in
                    let bytes = raw.bindMemory(to: UInt8.self)
                    let length = bytes.firstIndex(of: 0) ?? bytes.count
                    return String(validating: UnsafeBufferPointer(rebasing: bytes[..<length]), as: UTF8.self)
                }
                guard let name else {
                    listing.problems.append("\(relative.isEmpty ? "." : relative)/: a name that is not UTF-8 (skipped)")
                    continue
                }
                if name == "." || name == ".." { continue }
                if isRoot && (name == StoreSettings.fileName || name == ".cairn") { continue }
                if name.hasPrefix(AtomicFile.temporaryPrefix) { continue }
                let path = relative.isEmpty ? name : relative + "/" + name
                var kind = type
                if kind == UInt8(DT_UNKNOWN) {
                    var info = stat()
                    guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                    switch info.st_mode & S_IFMT {
                    case S_IFDIR: kind = UInt8(DT_DIR)
                    case S_IFLNK: kind = UInt8(DT_LNK)
                    case S_IFREG: kind = UInt8(DT_REG)
                    default: kind = UInt8(DT_UNKNOWN)
                    }
                }
                switch kind {
                case UInt8(DT_DIR): folders.append(name)
                case UInt8(DT_REG): files.append(path)
                case UInt8(DT_LNK):
                    var info = stat()
                    if fstatat(fd, name, &info, 0) == 0, info.st_mode & S_IFMT == S_IFREG {
                        files.append(path)
                        listing.fileLinks.append(path)
                    } else {
                        listing.folderLinks.append(path)
                    }
                default: continue
                }
            }
            if sink != nil {
                pending.append(contentsOf: files)
                if pending.count >= 1024 { flush() }
            } else {
                listing.files.append(contentsOf: files)
                if let progress, listing.files.count / 4096 != (listing.files.count - files.count) / 4096 {
                    progress(listing.files.count)
                }
            }
            for name in folders {
                try visit(absolute: absolute + "/" + name, relative: relative.isEmpty ? name : relative + "/" + name, isRoot: false)
            }
        }

        /// The path of an entry whose name is plain ASCII and not a Cairn temporary, else nil (the
        /// general path then handles it).
        static func plainFilePath(_ entry: UnsafeMutablePointer<dirent>, prefix: [UInt8]) -> String? {
            withUnsafeBytes(of: entry.pointee.d_name) { raw -> String? in
                let name = raw.bindMemory(to: UInt8.self)
                var length = 0
                while length < name.count, name[length] != 0 {
                    if name[length] >= 0x80 { return nil }
                    length += 1
                }
                if length <= 2 && name[0] == UInt8(ascii: ".") { return nil }
                let temporary = AtomicFile.temporaryPrefix.utf8
                if length >= temporary.count, temporary.elementsEqual(UnsafeBufferPointer(rebasing: name[..<temporary.count])) {
                    return nil
                }
                return String(unsafeUninitializedCapacity: prefix.count + length) { out in
                    _ = out.initialize(fromContentsOf: prefix)
                    _ = UnsafeMutableBufferPointer(rebasing: out[prefix.count...])
                        .initialize(fromContentsOf: UnsafeBufferPointer(rebasing: name[..<length]))
                    return prefix.count + length
                }
            }
        }
    }
}
