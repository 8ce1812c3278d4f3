import Glibc
import CairnCore

/// The small set of POSIX file operations the store needs, each with Cairn's error reporting.
/// Paths are plain strings: the store deals in paths, not URLs.
enum FileSystem {
    /// Reads a whole file.
    static func read(_ path: String) throws(CairnError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.make("read", path: path) }
        defer { close(fd) }
        // Straight into an array of the file's size (one more byte to see that the end was reached);
        // a file that grows meanwhile is read on in chunks.
        var info = stat()
        let expected = fstat(fd, &info) == 0 && info.st_size > 0 ? Int(info.st_size) : 0
        var failure: Int32 = 0
        var result = [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, count in
            count = 0
            while count < buffer.count {
                let n = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { return }
                count += n
            }
        }
        if failure != 0 { throw SystemError.make("read", path: path, errno: failure) }
        guard result.count == expected + 1 else { return result }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemError.make("read", path: path)
            }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// Reads up to `count` bytes from byte `offset` (fewer at the end of the file).
    static func readRange(_ path: String, from offset: Int64, count: Int) throws(CairnError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.make("read", path: path) }
        defer { close(fd) }
        return try readRange(fd, from: offset, count: count, path: path)
    }

    /// Reads up to `count` bytes of the open file `fd` from byte `offset` (fewer at the end of the file);
    /// `path` names it in an error.
    static func readRange(_ fd: Int32, from offset: Int64, count: Int, path: String) throws(CairnError) -> [UInt8] {
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: max(0, count)) { buffer, filled in
            filled = 0
            while filled < buffer.count {
                let n = pread(fd, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset) + off_t(filled))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { return }
                filled += n
            }
        }
        if failure != 0 { throw SystemError.make("read", path: path, errno: failure) }
        return bytes
    }

    /// Reads a whole file as UTF-8 text.
    static func readText(_ path: String) throws(CairnError) -> String {
        String(decoding: try read(path), as: UTF8.self)
    }

    /// Reads a file if it exists; nil when it does not.
    static func readIfPresent(_ path: String) throws(CairnError) -> [UInt8]? {
        do throws(CairnError) { return try read(path) } catch where error.kind == .notFound { return nil }
    }

    /// When the file or folder at `path` last changed (its mtime, in nanoseconds since 1970); nil if
    /// it cannot be read.
    static func modificationTime(_ path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// True when `path` is a symbolic link (whether or not it leads anywhere).
    static func isSymbolicLink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    /// The text of the symbolic link at `path`, or nil when it is not one.
    static func linkText(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True when `path` leads to something: itself, or what its symbolic links lead to.
    static func leadsSomewhere(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates a folder and its missing parents; succeeds if it already exists.
    static func makeDirectories(_ path: String) throws(CairnError) {
        if isDirectory(path) { return }
        let parent = Paths.parent(path)
        if parent != path, !parent.isEmpty { try makeDirectories(parent) }
        if mkdir(path, 0o777) != 0 && errno != EEXIST {
            throw SystemError.make("create the folder", path: path)
        }
        guard isDirectory(path) else {
            throw CairnError(.conflict, "'\(path)' exists but is not a folder", hint: "move the file away")
        }
    }

    /// Creates one folder, failing with a `CairnError` of kind `.alreadyExists` if it exists: the
    /// primitive behind race-free creation across processes.
    static func makeDirectoryExclusively(_ path: String) throws(CairnError) {
        if mkdir(path, 0o777) != 0 { throw SystemError.make("create the folder", path: path) }
    }

    /// Names in a folder (without `.` and `..`); an absent folder has none.
    static func list(_ path: String) throws(CairnError) -> [String] {
        guard let dir = opendir(path) else {
            if errno == ENOENT { return [] }
            throw SystemError.make("list", path: path)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    /// fsyncs a file's data (opened read-only: fsync needs no write access).
    static func syncFile(_ path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// fsyncs a folder so that a rename or create inside it is durable.
    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Checks that the folder can be written by this process (root included: a read-only mount
    /// or, for unprivileged users, the mode) before a command changes anything.
    /// True when this process may write into `path`.
    static func isWritable(_ path: String) -> Bool { access(path, W_OK) == 0 }

    static func checkWritable(_ path: String) throws(CairnError) {
        if access(path, W_OK) != 0 { throw SystemError.make("write into", path: path) }
    }
}

extension FileSystem {
    /// The size of a regular file, or nil.
    static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }
}

extension FileSystem {
    /// Writes all of `bytes` to `fd` (retrying short writes and EINTR); returns the errno of a
    /// failed write, or nil. The library's one write loop (``FileDescriptorOutput`` exposes it).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    /// Writes all of `bytes` to `fd` (retrying short writes and EINTR); returns the errno of a
    /// failed write, or nil. The buffer form of ``writeAll(_:_:)``.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard let base = bytes.baseAddress else { return nil }
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return nil
    }
}
