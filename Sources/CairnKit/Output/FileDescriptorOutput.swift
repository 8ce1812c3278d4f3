/// Writes bytes whole to a file descriptor (for the CLI: stdout and stderr), with the one write loop
/// the library's own files go through.
public enum FileDescriptorOutput {
    /// Writes all of `bytes` to `fd`, retrying after partial writes and `EINTR`.
    /// - Parameters:
    ///   - fd: the file descriptor (1 for stdout, 2 for stderr).
    ///   - bytes: the bytes to write.
    /// - Returns: nil when every byte was written, else the `errno` of the write that failed (`EPIPE`
    ///   when the reader has gone and SIGPIPE is ignored, `EBADF` for a closed descriptor…).
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        FileSystem.writeAll(fd, bytes)
    }
}
