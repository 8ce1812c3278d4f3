import Glibc
import CairnCore

extension Store {
    /// Creates an experiment.
    ///
    /// Names may be grouped with `/`; a name cannot be both an experiment and a group, so creating
    /// `vae` fails while `vae/baseline` exists and the other way round. Ids are allocated in order
    /// under the store's lock, so concurrent creations never clash.
    /// - Parameter name: the experiment's name (`vae/baseline`).
    /// - Returns: the new experiment's record.
    /// - Throws: `CairnError` of kind `.alreadyExists` when it exists; `.conflict` when the name is a
    ///   group or lies inside an experiment; a layout error if the layout cannot name this
    ///   experiment; `.permissionDenied` when the store cannot be written.
    @discardableResult
    public func createExperiment(_ name: ExperimentName) throws(CairnError) -> ExperimentRecord {
        try createExperiment(name, id: nil, parent: nil, config: nil)
    }

    /// MLflow's default experiment: `Default`, id `0`, created on first use (the experiment MLflow's
    /// clients log to when none is set).
    /// - Returns: its record.
    /// - Throws: `CairnError` of kind `.conflict` when an experiment named `Default` exists with another
    ///   id, or what ``createExperiment(_:)`` throws.
    public func defaultExperiment() throws(CairnError) -> ExperimentRecord {
        let zero = ExperimentID(0)
        if let record = try? experiment(id: zero) { return record }
        let name = try ExperimentName("Default")
        do throws(CairnError) {
            return try createExperiment(name, id: zero, parent: nil, config: nil)
        } catch where error.kind == .alreadyExists {
            if let record = try? experiment(id: zero) { return record }
            throw CairnError(.conflict, "the experiment 'Default' has id \(try experiment(named: name).id), not MLflow's 0",
                             hint: "set an experiment in the client (mlflow.set_experiment), or use the experiment 'Default' by its id")
        }
    }

    /// Creates an experiment with the next id, or with `id` (MLflow's `Default`, id 0), linked to
    /// `parent`, with `config` as its folder's `config.yaml` (written before the record is published).
    func createExperiment(_ name: ExperimentName, id reserved: ExperimentID?, parent: ExperimentID?,
                          config: [UInt8]?) throws(CairnError) -> ExperimentRecord {
        try checkWritable()
        // The name is checked before the lock; a folder named by the id (MLflow's file store) is named
        // once the id is chosen.
        _ = try layout.render(.experiment, try layout.experimentFields(for: name, id: reserved ?? ExperimentID(0)))
        return try FileLock.withLock(storeLockPath) { () throws(CairnError) -> ExperimentRecord in
            let existing = try experiments()
            try Self.checkNoClash(name, with: existing)
            if let reserved, existing.contains(where: { $0.id == reserved }) {
                throw CairnError(.alreadyExists, "the experiment id \(reserved) is taken", hint: "use the experiment that has it")
            }
            let id = reserved ?? ExperimentID((existing.map(\.id.value).max() ?? 0) + 1)
            let record = ExperimentRecord(id: id, name: name, createdAt: clock.now(), parentExperimentID: parent)
            let folder = try layout.render(.experiment, try layout.experimentFields(for: name, id: id))
            try FileSystem.makeDirectories(absolute(folder))
            if let config { try AtomicFile.write(config, to: Paths.join(absolute(folder), Self.experimentConfigName)) }
            // Publish the record by renaming a complete folder into place (after removing what a
            // creation killed midway left).
            AbandonedTemporaries.remove(in: experimentsRoot)
            var random = SystemRandomNumberGenerator()
            let staging = Paths.join(experimentsRoot, AtomicFile.temporaryPrefix
                + "experiment-\(id)-\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
            try FileSystem.makeDirectories(staging)
            try FileSystem.makeDirectories(Paths.join(staging, "runs"))
            try AtomicFile.write(try JSONCoding.encode(record), to: Paths.join(staging, "experiment.json"))
            if rename(staging, experimentMetaFolder(id)) != 0 {
                throw SystemError.make("create", path: experimentMetaFolder(id))
            }
            FileSystem.syncDirectory(experimentsRoot)
            return record
        }
    }

    /// The experiment named `name`, creating it if it does not exist yet (another process creating it
    /// at the same moment is fine).
    /// - Parameter name: the experiment's name.
    /// - Returns: the experiment's record.
    /// - Throws: what ``createExperiment(_:)`` throws, except `.alreadyExists`.
    public func experimentCreatingIfNeeded(_ name: ExperimentName) throws(CairnError) -> ExperimentRecord {
        if let found = try experimentIfPresent(named: name) { return found }
        do throws(CairnError) {
            return try createExperiment(name)
        } catch where error.kind == .alreadyExists {
            // Another process created it in the meantime.
            return try experiment(named: name)
        }
    }

    /// Every experiment in the store, by name.
    /// - Returns: the experiments' records, sorted by name.
    /// - Throws: `CairnError` when a record cannot be read.
    public func experiments() throws(CairnError) -> [ExperimentRecord] {
        var records: [ExperimentRecord] = []
        for entry in try FileSystem.list(experimentsRoot) {
            guard let id = ExperimentID(text: entry) else { continue }
            let file = Paths.join(experimentMetaFolder(id), "experiment.json")
            guard let bytes = try FileSystem.readIfPresent(file) else { continue }
            records.append(try JSONCoding.decode(ExperimentRecord.self, from: bytes, path: file))
        }
        // An adopted store's experiments are in its pack, unless they have a record of their own.
        if let packed = adoptedPack?.experiments, !packed.isEmpty {
            let own = Set(records.map(\.id.value))
            records += packed.values.lazy.filter { !own.contains($0.record.id.value) }.map(\.record)
        }
        return records.sorted { $0.name < $1.name }
    }

    /// The experiment named `name`, or nil.
    /// - Parameter name: the experiment's name.
    /// - Returns: its record, or nil when there is no such experiment.
    /// - Throws: `CairnError` when a record cannot be read.
    public func experimentIfPresent(named name: ExperimentName) throws(CairnError) -> ExperimentRecord? {
        try experiments().first { $0.name == name }
    }

    /// The experiment named `name`.
    /// - Parameter name: the experiment's name.
    /// - Returns: its record.
    /// - Throws: `CairnError` of kind `.notFound` naming the experiment, with a hint (the experiments of
    ///   a group by that name, or how to create it).
    public func experiment(named name: ExperimentName) throws(CairnError) -> ExperimentRecord {
        let all = try experiments()
        if let found = all.first(where: { $0.name == name }) { return found }
        let inGroup = all.filter { $0.name.description.hasPrefix(name.description + "/") }
        let hint: String
        if !inGroup.isEmpty {
            hint = "'\(name)' is a group; its experiments are: " + inGroup.prefix(5).map(\.name.description).joined(separator: ", ")
        } else if all.isEmpty {
            hint = "the store has no experiments yet; create one with 'cairn exp new \(name)'"
        } else {
            hint = "'cairn exp ls' lists the experiments; create it with 'cairn exp new \(name)'"
        }
        throw CairnError(.notFound, "no experiment named '\(name)' in the store '\(root)'", hint: hint)
    }

    /// The experiment with id `id`.
    /// - Parameter id: the experiment's stable id.
    /// - Returns: its record.
    /// - Throws: `CairnError` of kind `.notFound` when no experiment has that id.
    public func experiment(id: ExperimentID) throws(CairnError) -> ExperimentRecord {
        let file = Paths.join(experimentMetaFolder(id), "experiment.json")
        let stamp = FileStamp.of(file)
        if let stamp, let cached = experimentRecords.record(id, stamp: stamp) { return cached }
        guard let bytes = try FileSystem.readIfPresent(file) else {
            if let packed = adoptedPack?.experiments[id.value] { return packed.record }
            throw CairnError(.notFound, "no experiment with id \(id) in the store '\(root)'",
                             hint: "'cairn exp ls' lists the experiments and their ids")
        }
        let record = try JSONCoding.decode(ExperimentRecord.self, from: bytes, path: file)
        if let stamp, record.id == id { experimentRecords.store(record, stamp: stamp) }
        return record
    }

    /// The experiment's folder, relative to the store's tree (``absolute(_:)`` makes it absolute).
    /// - Parameter experiment: the experiment.
    /// - Returns: the folder the layout names for it.
    /// - Throws: `CairnError` when the layout cannot name it.
    public func experimentFolder(_ experiment: ExperimentRecord) throws(CairnError) -> String {
        try layout.render(.experiment, try layout.experimentFields(for: experiment.name, id: experiment.id))
    }

    static func checkNoClash(_ name: ExperimentName, with existing: [ExperimentRecord]) throws(CairnError) {
        let text = name.description
        for other in existing {
            let otherText = other.name.description
            if otherText == text {
                throw CairnError(.alreadyExists, "the experiment '\(text)' already exists (id \(other.id))",
                                 hint: "use it as it is, or choose another name")
            }
            if otherText.hasPrefix(text + "/") {
                throw CairnError(.conflict, "'\(text)' is a group holding the experiment '\(otherText)'",
                                 hint: "a name cannot be both an experiment and a group; choose another name, e.g. '\(text)/main'")
            }
            if text.hasPrefix(otherText + "/") {
                throw CairnError(.conflict, "'\(otherText)' is an experiment, so it cannot hold '\(text)'",
                                 hint: "a name cannot be both an experiment and a group; choose another name")
            }
        }
    }
}
