import Glibc
import CairnCore

extension Store {
    /// Reads a run's log (`logs/training.log`, what `cairn exec` captured), passing each chunk of bytes
    /// to `body` as it is read.
    /// - Parameters:
    ///   - run: the run.
    ///   - follow: keep reading what is appended, every `pollInterval` seconds, until the run is no
    ///     longer alive (then read what is left and return).
    ///   - pollInterval: how long to wait between reads when following.
    ///   - body: receives the bytes, in order, as they are read.
    /// - Throws: `CairnError` of kind `.notFound` when, without `follow`, the run has
    ///   no log (runs made with `cairn run new` have none); any error reading the run's record.
    public func readLog(of run: Run, follow: Bool, pollInterval: Double = 0.2, _ body: ([UInt8]) -> Void) throws(CairnError) {
        let path = try runFilePath(run, .log)
        var offset: off_t = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        /// Reads what was appended since `offset`; false when nothing was (or there is no file yet).
        func drain() -> Bool {
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var any = false
            while true {
                let n = pread(fd, &buffer, buffer.count, offset)
                if n <= 0 { break }
                body(Array(buffer[0..<n]))
                offset += off_t(n)
                any = true
            }
            return any
        }
        let found = drain()
        guard follow else {
            if !found && offset == 0 && !FileSystem.exists(path) {
                if run.record.exitCode != nil || run.record.exitSignal != nil {
                    throw CairnError(.notFound, "run \(run.id) was run by 'cairn exec' but has no log at '\(path)': "
                                        + "its command printed nothing, or the log was removed",
                                     hint: "'cairn run show \(run.id)' shows how the command ended")
                }
                throw CairnError(.notFound, "run \(run.id) has no log at '\(path)'",
                                 hint: "logs are written by 'cairn exec' (and by RunLog in Swift); runs made with 'cairn run new' have none")
            }
            return
        }
        while true {
            if drain() { continue }
            if liveness(of: try self.run(at: run.location).record) != .alive {
                _ = drain()
                return
            }
            usleep(useconds_t(max(0, pollInterval) * 1_000_000))
        }
    }

    /// Reads a run's log as lines (see ``readLog(of:follow:pollInterval:_:)``), each parsed into its
    /// time, stream and text; a last line without its newline is passed at the end.
    /// - Parameters:
    ///   - run: the run.
    ///   - follow: keep reading what is appended until the run is no longer alive.
    ///   - pollInterval: how long to wait between reads when following, in seconds.
    ///   - body: receives each line, in order.
    /// - Throws: what ``readLog(of:follow:pollInterval:_:)`` throws.
    public func readLogLines(of run: Run, follow: Bool, pollInterval: Double = 0.2,
                             _ body: (CairnAPI.LogLine) -> Void) throws(CairnError) {
        var pending: [UInt8] = []
        try readLog(of: run, follow: follow, pollInterval: pollInterval) { chunk in
            pending += chunk
            var start = 0
            while let newline = pending[start...].firstIndex(of: 10) {
                body(CairnAPI.LogLine(parsing: pending[start..<newline]))
                start = newline + 1
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty { body(CairnAPI.LogLine(parsing: pending)) }
    }
}
