extension ManifestState {
    /// Calls `body` with the index, status and path of each entry, in order, reading the entries in
    /// place: iterating ``entries`` copies each entry (a retain and release of each of its references),
    /// which a run of 100,000 checkpoints feels on every save.
    public func forEachPath<E: Error>(_ body: (_ index: Int, _ status: CheckpointEntry.Status, _ path: String) throws(E) -> Void) throws(E) {
        try entries.withUnsafeBufferPointer { (buffer) throws(E) in
            guard let base = buffer.baseAddress else { return }
            for index in buffer.indices {
                let entry = base + index
                let path: String
                if let packed = entry.pointee.packed {
                    path = packed.texts.path(at: packed.slot)
                } else {
                    path = entry.pointee.storedPath
                }
                try body(index, entry.pointee.status, path)
            }
        }
    }
}
