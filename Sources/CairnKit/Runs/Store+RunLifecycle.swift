import CairnCore
import Logging

extension Store {
    /// Ends a run: sets its final status, end time and duration (and, from `cairn exec`, the exit
    /// code or signal and the signals it forwarded), and releases its lease.
    /// - Throws: `CairnError` of kind `.conflict` if the run has already ended.
    @discardableResult
    func endRun(_ location: RunLocation, status: RunStatus, exitCode: Int32? = nil,
                exitSignal: String? = nil, forwardedSignals: [ForwardedSignal] = [],
                at end: Timestamp? = nil) throws(CairnError) -> Run {
        guard status.isTerminal else {
            throw CairnError(.invalidValue, "a run cannot be ended with status \(status.rawValue)", hint: "use FINISHED, FAILED or KILLED")
        }
        try checkWritable()
        return try withRunLock(location.id) { () throws(CairnError) -> Run in
            var run = try run(at: location)
            if run.record.status.isTerminal {
                throw CairnError(.conflict, "run \(location.id) already ended as \(run.record.status.rawValue)"
                                 + (run.record.endTime.map { " at \($0)" } ?? ""),
                                 hint: "a run's final status is set once")
            }
            let endTime = end ?? clock.now()
            run.record.status = status
            run.record.endTime = endTime
            run.record.durationSeconds = Double(endTime.millisecondsSinceEpoch - run.record.startTime.millisecondsSinceEpoch) / 1000
            run.record.exitCode = exitCode
            run.record.exitSignal = exitSignal
            if !forwardedSignals.isEmpty { run.record.forwardedSignals = forwardedSignals }
            try AtomicFile.write(try JSONCoding.encode(run.record), to: try runFilePath(location, .runRecord))
            FileSystem.remove(leasePath(location.id))
            index.mark(location.id)
            return run
        }
    }

    // MARK: Leases

    func leasePath(_ id: RunID) -> String { Paths.join(runMetaFolder(id), "lease.json") }

    func writeLease(for id: RunID, owner: LeaseOwner, at time: Timestamp) throws(CairnError) {
        try FileSystem.makeDirectories(runMetaFolder(id))
        let lease = LeaseRecord(runID: id, host: HostInfo.hostName, pid: owner.pid,
                                processStartTicks: HostInfo.processStartTicks(owner.pid), acquiredAt: time,
                                heartbeatAt: time, heartbeatIntervalSeconds: owner.heartbeatIntervalSeconds)
        try AtomicFile.write(try JSONCoding.encode(lease), to: leasePath(id))
    }

    /// The run's lease, if it has one (`.cairn/runs/<run id>/lease.json`; removed when the run ends).
    /// - Parameter id: the run's id.
    /// - Returns: the lease: owner host, pid and start time, last heartbeat; nil when there is none.
    /// - Throws: `CairnError` when the lease cannot be read or parsed.
    public func lease(of id: RunID) throws(CairnError) -> LeaseRecord? {
        guard let bytes = try FileSystem.readIfPresent(leasePath(id)) else { return nil }
        return try JSONCoding.decode(LeaseRecord.self, from: bytes, path: leasePath(id))
    }

    /// Moves the lease to another owner (`cairn exec` takes over the run it created for its child).
    /// - Parameters:
    ///   - id: the run's id.
    ///   - owner: the new owner.
    /// - Throws: `CairnError` when the lease cannot be written.
    public func transferLease(of id: RunID, to owner: LeaseOwner) throws(CairnError) {
        try writeLease(for: id, owner: owner, at: clock.now())
    }

    /// Records that the owner is still alive: sets the lease's heartbeat to now (nothing happens when
    /// the run has no lease).
    /// - Parameter id: the run's id.
    /// - Throws: `CairnError` when the lease cannot be read or written.
    public func heartbeat(_ id: RunID) throws(CairnError) {
        guard var lease = try lease(of: id) else { return }
        lease.heartbeatAt = clock.now()
        try AtomicFile.write(try JSONCoding.encode(lease), to: leasePath(id))
    }

    /// Whether a run's owner is alive: by pid and process start time on this host, by heartbeat
    /// age (three intervals, on ``clock``) from another host. A lease that cannot be read gives
    /// `unknown`, with a warning to ``logger``.
    /// - Parameter record: the run's record.
    /// - Returns: `ended` for a run that ended; else `alive`, `ownerDead` or `unknown` (no lease, or a
    ///   lease from another host without heartbeats).
    public func liveness(of record: RunRecord) -> RunLiveness {
        if record.status.isTerminal { return .ended }
        let lease: LeaseRecord
        do throws(CairnError) {
            guard let found = try self.lease(of: record.id) else { return .unknown }
            lease = found
        } catch {
            logger.warning("cannot read the lease of run \(record.id) (\(error.messageWithCause)); its liveness is unknown",
                           metadata: ["run_id": "\(record.id)", "path": "\(leasePath(record.id))"])
            return .unknown
        }
        if lease.host == HostInfo.hostName {
            return HostInfo.processIsAlive(lease.pid, startTicks: lease.processStartTicks) ? .alive : .ownerDead
        }
        guard let interval = lease.heartbeatIntervalSeconds else { return .unknown }
        let age = Double(clock.now().millisecondsSinceEpoch - lease.heartbeatAt.millisecondsSinceEpoch) / 1000
        return age <= 3 * interval ? .alive : .ownerDead
    }
}
