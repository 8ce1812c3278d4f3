import CairnCore
import CairnFormats

extension Store {
    /// Reopens a run to continue its training in it (`cairn resume --continue`): under the run's lock
    /// its status goes back to RUNNING, its end time, duration, exit code and signal are cleared, the
    /// time is added to `reopened_at`, and `owner` takes its lease. The metrics it logged after the step
    /// the training resumes from are set aside (see ``supersedeMetrics(of:after:)``), since the training
    /// logs those steps again; a live TensorBoard event file gets a `SessionLog` START at the next step,
    /// after which TensorBoard shows only the new attempt's points there.
    /// - Parameters:
    ///   - run: the run (ended, or RUNNING with a dead owner).
    ///   - owner: the process that owns it from now on.
    ///   - step: the step of the checkpoint the training resumes from, when known.
    /// - Returns: the run as reopened.
    /// - Throws: `CairnError` of kind `.conflict` when its owner is alive, or when the store cannot be written.
    func reopen(_ run: Run, owner: LeaseOwner, fromStep step: Int?) throws(CairnError) -> Run {
        try checkWritable()
        let location = run.location
        let reopened = try withRunLock(location.id) { () throws(CairnError) -> Run in
            var current = try self.run(at: location)
            if current.record.status == .running && liveness(of: current.record) == .alive && current.record.pid != owner.pid {
                throw CairnError(.conflict, "run \(run.id) is RUNNING and its owner (pid \(current.record.pid) on \(current.record.host)) is alive",
                                 hint: "wait for it to end, or stop it")
            }
            let now = clock.now()
            current.record.reopen(at: now)
            try writeLease(for: location.id, owner: owner, at: now)
            try AtomicFile.write(try JSONCoding.encode(current.record), to: try runFilePath(location, .runRecord))
            return current
        }
        if let step {
            try supersedeMetrics(of: reopened, after: step)
            // Live event files: TensorBoard drops the points after `step` the cut-short attempt logged.
            if try liveTensorBoardEnabled(reopened) {
                try LiveEventFile(store: self, run: reopened).append(
                    EventFileWriter.encodeSessionStart(step: Int64(step) + 1, wallTime: Double(clock.now().millisecondsSinceEpoch) / 1000))
            }
        }
        index.mark(location.id)
        return reopened
    }
}
