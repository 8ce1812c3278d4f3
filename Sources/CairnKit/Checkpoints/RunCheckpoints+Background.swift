import CairnCore

extension RunCheckpoints {
    /// Hands a save (staging, hashing, renaming, pruning) to a background thread so training goes
    /// on. At most one save per run is in flight: this first waits for the previous one and throws
    /// its error, if it failed. The last one's error surfaces at ``close()``.
    ///
    /// With a ``CheckpointSource/writer(folder:fileExtension:write:)`` source, the closure itself
    /// runs in the background: it must capture a snapshot of the state it writes.
    /// - Parameter request: the checkpoint to save.
    /// - Throws: `CairnError`: the error of the previous background save, if it failed (this request is
    ///   then not started). Errors of this save surface at the next save or at ``close()``.
    public func saveInBackground(_ request: CheckpointSaveRequest) throws(CairnError) {
        try background.wait()
        background.start { [self] () throws(CairnError) -> CheckpointSaveResult in try saveNow(request, progress: nil) }
    }

    /// The result of the last background save, once it has finished.
    public var lastBackgroundResult: CheckpointSaveResult? { background.lastResult }

    /// Waits for a background save in flight and throws its error, if any. Call it before the
    /// process ends; nothing is lost if you do not (an interrupted save is cleaned up on next open),
    /// but its error would go unreported.
    /// - Throws: `CairnError`: the error of the last background save, if it failed.
    public func close() throws(CairnError) {
        try background.wait()
    }
}
