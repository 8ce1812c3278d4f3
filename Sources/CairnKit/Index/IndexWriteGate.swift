/// Lets one update of the index run at a time in a process, in arrival order, and remembers through
/// which change (``StoreIndex/changeCount``) the updates wrote: a request answered only once its
/// changes are in the index waits for the update that took them, even when another request's
/// update took them first.
actor IndexWriteGate {
    /// Every change counted up to this one is in the index.
    private(set) var written: UInt64 = 0
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Waits for the updates before this one to finish.
    func enter() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Ends an update that wrote every change through `through` (nil: it failed or took none).
    func leave(writtenThrough through: UInt64?) {
        if let through, through > written { written = through }
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
