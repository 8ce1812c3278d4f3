import CairnCore
import Logging

extension Store {
    /// Resolves a run reference: a full run id or a unique prefix of one (like git), or `latest`
    /// when an experiment is given.
    /// - Throws: `CairnError` of kind `.notFound` or `.ambiguous` (listing candidates).
    func resolveRun(_ reference: String, in experiment: ExperimentRecord? = nil) throws(CairnError) -> RunLocation {
        if reference == "latest", let experiment {
            guard let latest = try latestRun(in: experiment) else {
                throw CairnError(.notFound, "the experiment '\(experiment.name)' has no runs yet",
                                 hint: "start one with 'cairn exec -e \(experiment.name) -- COMMAND' or 'cairn run new -e \(experiment.name)'")
            }
            return latest
        }
        guard RunID.isPlausiblePrefix(reference) else {
            throw CairnError(.invalidName, "\(NameComponent.quoted(reference)) is not a run id",
                             hint: "run ids look like 20261123-034011-482-k3f9; 'cairn run ls' lists them")
        }
        // An exact id first: one stat per experiment. (Not a whole id: a prefix, looked up below.)
        if let exact = try? RunID(reference) {
            if let experiment {
                if let entry = try registryEntry(experiment.id, exact) { return entry }
            } else if let entry = try registryEntry(anywhere: exact) {
                return entry
            }
        }
        let experiments = try scope(experiment)
        var matches: [(ExperimentRecord, RunID)] = []
        for exp in experiments {
            for id in try registeredRunIDs(exp.id) where id.value.hasPrefix(reference) {
                matches.append((exp, id))
            }
        }
        let scope = experiment.map { "in the experiment '\($0.name)'" } ?? "in the store '\(root)'"
        if matches.isEmpty {
            throw CairnError(.notFound, "no run \(NameComponent.quoted(reference)) \(scope)",
                             hint: "'cairn run ls' lists the runs")
        }
        if matches.count > 1 {
            let sorted = matches.sorted { $0.1 < $1.1 }
            let shown = sorted.prefix(5).map { "\($0.1) (\($0.0.name))" }.joined(separator: ", ")
            let more = matches.count > 5 ? " and \(matches.count - 5) more" : ""
            throw CairnError(.ambiguous, "the run prefix \(NameComponent.quoted(reference)) matches \(matches.count) runs: \(shown)\(more)",
                             hint: "give more characters of the run id")
        }
        guard let entry = try registryEntry(matches[0].0.id, matches[0].1) else {
            throw CairnError(.notFound, "the run '\(matches[0].1)' has no registry entry", hint: "'cairn run ls' lists the runs")
        }
        return entry
    }

    /// The experiment's most recently created run, or nil if it has none.
    ///
    /// Reads the experiment's `latest` pointer (one small file, whatever the number of runs), or for an
    /// adopted experiment without one, the run its pack names. The pointer is trusted only when it was
    /// written after the registry last changed: a creation killed between registering its run and
    /// moving the pointer leaves the registry newer. Otherwise the registry is scanned and the pointer
    /// repaired.
    func latestRun(in experiment: ExperimentRecord) throws(CairnError) -> RunLocation? {
        let pointer = latestPointerPath(experiment.id)
        let registryChanged = FileSystem.modificationTime(registryFolder(experiment.id))
        if let pointerWritten = FileSystem.modificationTime(pointer) {
            if registryChanged.map({ pointerWritten > $0 }) ?? true, let bytes = try FileSystem.readIfPresent(pointer) {
                if let entry = latestEntry(named: bytes, pointer: pointer, experiment: experiment.id) { return entry }
            }
        } else if registryChanged == nil, let packed = adoptedPack?.experiments[experiment.id.value]?.latest,
                  let id = try? RunID(packed), let entry = try registryEntry(experiment.id, id) {
            // An adopted experiment where no run was created since: the pack names its newest run (a
            // name that is not an id falls through to the scan below).
            return entry
        }
        return try repairLatest(experiment.id)
    }

    /// The registry entry of the run a `latest` pointer names; nil when the pointer names no
    /// registered run (edited by hand, or its run's entry was removed), or the entry cannot be read
    /// (with a warning): the caller then scans the registry and repairs the pointer.
    private func latestEntry(named bytes: [UInt8], pointer: String, experiment: ExperimentID) -> RunLocation? {
        let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace
        do throws(CairnError) {
            return try registryEntry(experiment, try RunID(text))
        } catch {
            logger.warning("the latest pointer '\(pointer)' names no usable run (\(error.messageWithCause)); the registry is scanned and the pointer repaired",
                           metadata: ["path": "\(pointer)"])
            return nil
        }
    }

    /// Scans the registry for the experiment's newest run and points `latest` at it, under the
    /// experiment's lock so that a creation finishing meanwhile is not undone (best effort: on a store
    /// this process cannot write, only the scan).
    func repairLatest(_ experiment: ExperimentID) throws(CairnError) -> RunLocation? {
        let newest: RunID?
        do throws(CairnError) {
            newest = try withExperimentLock(experiment) { () throws(CairnError) -> RunID? in
                guard let newest = try registeredRunIDs(experiment, removingAbandoned: true).max() else { return nil }
                do throws(CairnError) {
                    try writeLatest(experiment, newest)
                } catch {
                    // The answer stands without the repair; the next reader scans again.
                    logger.warning("cannot repair the latest pointer of experiment \(experiment) (\(error.messageWithCause)); readers scan its registry until it is repaired",
                                   metadata: ["path": "\(latestPointerPath(experiment))"])
                }
                return newest
            }
        } catch {
            // The lock could not be taken (a read-only store, say): the scan alone still answers.
            newest = try registeredRunIDs(experiment).max()
        }
        guard let newest else { return nil }
        return try registryEntry(experiment, newest)
    }

    func latestPointerPath(_ id: ExperimentID) -> String { Paths.join(experimentMetaFolder(id), "latest") }

    /// Moves the experiment's `latest` pointer to `run` if it is newer than the current one.
    func advanceLatest(_ experiment: ExperimentID, to run: RunID) throws(CairnError) {
        try withExperimentLock(experiment) { () throws(CairnError) in
            let pointer = latestPointerPath(experiment)
            // A pointer already at a registered run as new or newer stays; one that names no usable
            // run (hand edited, or its entry unreadable) is replaced.
            if let bytes = try FileSystem.readIfPresent(pointer),
               let current = try? RunID(String(decoding: bytes, as: UTF8.self).trimmingWhitespace), current >= run {
                do throws(CairnError) {
                    if try registryEntry(experiment, current) != nil { return }
                } catch {
                    logger.warning("the latest pointer '\(pointer)' names run \(current), whose registry entry cannot be read (\(error.messageWithCause)); the pointer moves to run \(run)",
                                   metadata: ["path": "\(pointer)", "run_id": "\(current)"])
                }
            }
            try writeLatest(experiment, run)
        }
    }

    /// Writes the `latest` pointer (the caller holds the experiment's lock).
    private func writeLatest(_ experiment: ExperimentID, _ run: RunID) throws(CairnError) {
        let pointer = latestPointerPath(experiment)
        // A writer killed here before left its temporary behind.
        AbandonedTemporaries.remove(in: Paths.parent(pointer))
        try AtomicFile.write(run.value + "\n", to: pointer)
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

extension Store {
    /// How many runs an experiment has (one folder listing).
    /// - Parameter experiment: the experiment.
    /// - Returns: the number of runs registered in it.
    /// - Throws: `CairnError` when its registry cannot be listed.
    public func runCount(in experiment: ExperimentRecord) throws(CairnError) -> Int {
        try registeredRunIDs(experiment.id).count
    }
}

extension Store {
    /// The registry entry of the run with exactly this id, in whichever experiment: one stat per
    /// experiment id (the experiments' folders listed, no record read).
    func registryEntry(anywhere id: RunID) throws(CairnError) -> RunLocation? {
        var ids: [ExperimentID] = []
        for entry in try FileSystem.list(experimentsRoot) {
            if let experiment = ExperimentID(text: entry) { ids.append(experiment) }
        }
        if let packed = adoptedPack?.experiments.keys {
            let own = Set(ids.map(\.value))
            ids += packed.filter { !own.contains($0) }.map(ExperimentID.init)
        }
        for experiment in ids {
            if let entry = try registryEntry(experiment, id) { return entry }
        }
        return nil
    }

    /// The experiments a lookup covers: the given one, or all.
    func scope(_ experiment: ExperimentRecord?) throws(CairnError) -> [ExperimentRecord] {
        if let experiment { return [experiment] }
        return try experiments()
    }
}
