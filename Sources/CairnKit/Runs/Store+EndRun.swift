import CairnCore

extension Store {
    /// Ends a run: sets its final status, end time and duration (and, from `cairn exec`, the exit code
    /// or signal), and releases its lease.
    /// - Parameters:
    ///   - run: the run.
    ///   - status: `FINISHED`, `FAILED` or `KILLED`.
    ///   - exitCode: the exit code of the command that ran, if any.
    ///   - exitSignal: the signal that ended it, by name (`SIGTERM`), if any.
    ///   - end: the end time (default: now).
    /// - Returns: the run as ended.
    /// - Throws: `CairnError` of kind `.conflict` if the run has already ended,
    ///   `.invalidValue` for `RUNNING`.
    @discardableResult
    public func endRun(_ run: Run, status: RunStatus, exitCode: Int32? = nil, exitSignal: String? = nil,
                       at end: Timestamp? = nil) throws(CairnError) -> Run {
        try endRun(run.location, status: status, exitCode: exitCode, exitSignal: exitSignal, at: end)
    }
}
