import CairnCore

extension RunRecord {
    /// Takes what another tool recorded of the run's life: its status, its start, and its end, which
    /// counts once the run has ended (a tool's end of a run still running is not the run's end).
    mutating func takeToolLife(status: RunStatus?, start: Timestamp?, end: Timestamp?) {
        if let status { self.status = status }
        if let start { startTime = start }
        if let end, status?.isTerminal ?? true {
            endTime = end
            durationSeconds = Double(end.millisecondsSinceEpoch - startTime.millisecondsSinceEpoch) / 1000
        }
    }
}
