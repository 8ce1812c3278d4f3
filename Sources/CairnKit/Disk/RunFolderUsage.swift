import CairnCore
import Glibc

/// The bytes of one run folder by kind, walked with `openat`/`readdir`/`fstatat` (no path is resolved
/// twice). Files with more than one hard link are not summed here but listed, so that the caller counts
/// each (device, inode) once across every run.
struct RunFolderUsage {
    /// A regular file with several links: counted by the caller, once.
    struct LinkedFile {
        var device: UInt64
        var inode: UInt64
        var kind: DiskUsageClassifier.Kind
        var bytes: Int64
    }

    var sizes = CairnAPI.DiskUsage.Sizes()
    var linked: [LinkedFile] = []
    /// Folders that could not be opened, absolute.
    var unreadable: [String] = []

    /// Walks the run folder at `folder` (absolute). A folder that does not exist counts nothing.
    init(folder: String, classifier: DiskUsageClassifier) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno != ENOENT { unreadable.append(folder) }
            return
        }
        visit(fd, absolute: folder, relative: "", inherited: nil, classifier: classifier)
    }

    static func add(_ bytes: Int64, kind: DiskUsageClassifier.Kind, to sizes: inout CairnAPI.DiskUsage.Sizes) {
        switch kind {
        case .checkpoints: sizes.checkpoints += bytes
        case .logs: sizes.logs += bytes
        case .metrics: sizes.metrics += bytes
        case .artifacts: sizes.artifacts += bytes
        case .other: sizes.other += bytes
        }
    }

    /// Reads the folder open as `fd` (and closes it): `relative` is its path in the run folder ("" for
    /// the run folder, else ending in `/`); `inherited` the kind of every file under a folder checkpoint.
    private mutating func visit(_ fd: Int32, absolute: String, relative: String, inherited: DiskUsageClassifier.Kind?,
                                classifier: DiskUsageClassifier) {
        guard let dir = fdopendir(fd) else {
            close(fd)
            unreadable.append(absolute)
            return
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let type = entry.pointee.d_type
            if type == UInt8(DT_LNK) { continue }  // pointers: a link holds no data of its own
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                let bytes = raw.bindMemory(to: UInt8.self)
                let length = bytes.firstIndex(of: 0) ?? bytes.count
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<length]), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var info = stat()
            guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let path = relative + name
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                let kind: DiskUsageClassifier.Kind? = inherited ?? (classifier.isCheckpointFolder(path) ? .checkpoints : nil)
                let child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else {
                    unreadable.append(absolute + "/" + name)
                    continue
                }
                visit(child, absolute: absolute + "/" + name, relative: path + "/", inherited: kind, classifier: classifier)
            case S_IFREG:
                let kind = inherited ?? classifier.kind(ofFile: path)
                let bytes = Int64(info.st_size)
                if info.st_nlink > 1 {
                    linked.append(LinkedFile(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), kind: kind, bytes: bytes))
                } else {
                    Self.add(bytes, kind: kind, to: &sizes)
                }
            default: continue
            }
        }
    }
}
