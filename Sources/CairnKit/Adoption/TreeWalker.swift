#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore

/// Lists every file under a folder with `readdir` (the file type comes with the entry, so most files
/// cost no `stat`). Symlinks to folders are listed and never followed, so a loop cannot hang it.
/// Cairn's own `cairn.yaml` and `.cairn/` at the root are skipped, and so are Cairn's temporary files.
public enum TreeWalker {
    /// Walks `root`.
    /// - Parameter progress: called with the number of files found so far, every 4,096 files.
    /// - Throws: ``CairnError`` if `root` itself cannot be read.
    public static func walk(_ root: String, progress: ((Int) -> Void)? = nil) throws(CairnError) -> TreeListing {
        guard FileSystem.isDirectory(root) else {
            throw CairnError(.notFound, "'\(root)' is not a folder", hint: "give the root folder of the tree")
        }
        var listing = TreeListing()
        var walker = Walker(listing: listing, progress: progress)
        try walker.visit(absolute: root, relative: "", isRoot: true)
        listing = walker.listing
        return listing
    }

    private struct Walker {
        var listing: TreeListing
        let progress: ((Int) -> Void)?

        mutating func visit(absolute: String, relative: String, isRoot: Bool) throws(CairnError) {
            guard let dir = opendir(absolute) else {
                if isRoot { throw SystemError.make("read the folder", path: absolute) }
                listing.problems.append("\(relative)/: cannot be read (\(String(cString: strerror(errno))))")
                return
            }
            defer { closedir(dir) }
            let fd = dirfd(dir)
            var files: [String] = [], folders: [String] = []
            while let entry = readdir(dir) {
                let type = entry.pointee.d_type
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
                    } else {
                        listing.folderLinks.append(path)
                    }
                default: continue
                }
            }
            listing.files.append(contentsOf: files)
            if let progress, listing.files.count / 4096 != (listing.files.count - files.count) / 4096 {
                progress(listing.files.count)
            }
            for name in folders {
                try visit(absolute: absolute + "/" + name, relative: relative.isEmpty ? name : relative + "/" + name, isRoot: false)
            }
        }
    }
}
