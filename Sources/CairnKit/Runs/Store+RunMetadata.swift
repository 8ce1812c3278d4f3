import CairnCore

extension Store {
    /// The run's tags (`tags.json`).
    func tags(of location: RunLocation) throws(CairnError) -> [String: String] {
        let path = try runFilePath(location, .tags)
        guard let bytes = try FileSystem.readIfPresent(path) else {
            guard let pack = adoptedPack, let packed = try pack.bytes(.tags, of: location.id) else { return [:] }
            return try JSONCoding.stringMap(from: packed, path: pack.path)
        }
        return try JSONCoding.stringMap(from: bytes, path: path)
    }

    /// The run's params (`params.json`): the flattened config plus params set later, as text.
    func params(of location: RunLocation) throws(CairnError) -> [String: String] {
        let path = try runFilePath(location, .params)
        guard let bytes = try FileSystem.readIfPresent(path) else {
            guard let pack = adoptedPack, let packed = try pack.bytes(.params, of: location.id) else { return [:] }
            return try JSONCoding.stringMap(from: packed, path: pack.path)
        }
        return try JSONCoding.stringMap(from: bytes, path: path)
    }

    /// Sets tags (replacing the values of existing keys). Only `tags.json` is rewritten, atomically,
    /// under the run's lock.
    func setTags(_ tags: [String: String], on location: RunLocation) throws(CairnError) {
        try checkWritable()
        for key in tags.keys { try RunTags.validateKey(key) }
        try withRunLock(location.id) { () throws(CairnError) in
            var current = try self.tags(of: location)
            current.merge(tags) { _, new in new }
            try AtomicFile.write(try JSONCoding.encode(current), to: try runFilePath(location, .tags))
        }
        index.mark(location.id)
    }

    /// Sets params. A param is written once: setting an existing key to the same value is fine, to
    /// another value is an error (as in MLflow); record changing values as tags or metrics instead.
    func setParams(_ params: [String: String], on location: RunLocation) throws(CairnError) {
        try checkWritable()
        for key in params.keys { try RunTags.validateKey(key, what: "param key") }
        try withRunLock(location.id) { () throws(CairnError) in
            var current = try self.params(of: location)
            for (key, value) in params.sorted(by: { $0.key < $1.key }) {
                if let old = current[key], old != value {
                    throw CairnError(.conflict, "the param '\(key)' of run \(location.id) is already '\(old)'; it cannot become '\(value)'",
                                     hint: "params are written once; use a tag ('cairn run tag') for values that change")
                }
                current[key] = value
            }
            try AtomicFile.write(try JSONCoding.encode(current), to: try runFilePath(location, .params))
        }
        index.mark(location.id)
    }

    /// Runs `body` holding the run's short lock (`.cairn/runs/<id>/lock`).
    func withRunLock<T>(_ id: RunID, _ body: () throws(CairnError) -> T) throws(CairnError) -> T {
        try FileSystem.makeDirectories(runMetaFolder(id))
        return try FileLock.withLock(Paths.join(runMetaFolder(id), "lock"), body)
    }

    /// The run's tags (`tags.json`).
    /// - Parameter run: the run.
    /// - Returns: the tags by key; empty when the run has none.
    /// - Throws: `CairnError` when `tags.json` cannot be read or parsed.
    public func tags(of run: Run) throws(CairnError) -> [String: String] { try tags(of: run.location) }

    /// The run's params as text (`params.json`): the flattened config plus params set later.
    /// ``typedParams(of:)`` gives each with its typed value.
    /// - Parameter run: the run.
    /// - Returns: the params by key, as text; empty when the run has none.
    /// - Throws: `CairnError` when `params.json` cannot be read or parsed.
    public func params(of run: Run) throws(CairnError) -> [String: String] { try params(of: run.location) }

    /// Sets tags on a run (replacing the values of existing keys); only `tags.json` is rewritten,
    /// atomically, under the run's lock.
    /// - Parameters:
    ///   - tags: the tags to set, by key.
    ///   - run: the run.
    /// - Throws: `CairnError` of kind `.invalidName` for an invalid key (nothing is written), or when
    ///   the store cannot be written or the write fails.
    public func setTags(_ tags: [String: String], on run: Run) throws(CairnError) { try setTags(tags, on: run.location) }

    /// Sets params on a run. A param is written once: the same value again is fine, another value is an
    /// error (as in MLflow); record values that change as tags or metrics.
    /// - Parameters:
    ///   - params: the params to set, by key, as text.
    ///   - run: the run.
    /// - Throws: `CairnError` of kind `.conflict` for a changed param (nothing is written);
    ///   `.invalidName` for an invalid key; or when the store cannot be written or the write fails.
    public func setParams(_ params: [String: String], on run: Run) throws(CairnError) { try setParams(params, on: run.location) }
}
