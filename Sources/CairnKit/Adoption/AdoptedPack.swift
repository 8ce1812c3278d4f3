import Glibc
import CairnCore
import CairnFormats

/// `.cairn/adopted.pack`: the records `cairn adopt` made for every run it found, in one file, so that
/// adopting 1,000 runs writes one file rather than 5,000. A run's own files under `.cairn/` (written
/// when something about the run changes: a tag, a verify, a new checkpoint) take precedence over its
/// records here; the pack itself is never rewritten.
///
/// Layout: a first line `CAIRN-ADOPTED-PACK 3 <header bytes> <run table bytes>`, the header (JSON: the
/// adopted experiments, each with its record and its newest run), the run table (``RunTable``: per run
/// its id, experiment id, folder, and the offset and length of each record in the data that follows),
/// then the records back to back: registry entry, `run.json`, `params.json`, `tags.json` and the
/// checkpoint manifest, each exactly as its own file would hold it. Older packs are still read: version
/// 2 (`CAIRN-ADOPTED-PACK 2 <header bytes>`, the runs in the JSON header, without folders) and version 1
/// (the header is the list of runs alone; their experiments have folders under `.cairn/experiments/`).
/// An experiment's own folder, once something about it changes, takes precedence over its record here.
struct AdoptedPack: Sendable {
    /// One adopted experiment: its record and its newest run (what its `latest` pointer would name).
    struct Experiment: Codable, Sendable {
        var record: ExperimentRecord
        var latest: String?
    }

    /// The header: a version 3 pack's has only the experiments (its runs are in the run table), a
    /// version 2 pack's both.
    struct Header: Codable, Sendable {
        var experiments: [Experiment]
        var runs: [Entry]?
    }

    /// One run's records in the pack.
    struct Entry: Codable, Sendable {
        var id: String
        var experiment: Int
        var offset: Int
        /// Lengths of the location, run record, params, tags and manifest, in that order.
        var lengths: [Int]
        /// The run folder, relative to the tree (version 3; nil in older packs).
        var folder: String?
    }

    enum Part: Int { case location = 0, record, params, tags, manifest }

    static let fileName = "adopted.pack"
    static let magic = "CAIRN-ADOPTED-PACK 3 "
    static let magicVersion2 = "CAIRN-ADOPTED-PACK 2 "
    static let magicVersion1 = "CAIRN-ADOPTED-PACK 1 "

    let path: String
    let dataStart: Int
    let entries: [String: Entry]
    let byExperiment: [Int: [RunID]]
    /// The adopted experiments by id (none in a version 1 pack).
    let experiments: [Int: Experiment]

    /// The pack at `path`, or nil if there is none.
    /// - Throws: `CairnError` of kind `.corrupt` if the file is there but damaged.
    static func load(_ path: String) throws(CairnError) -> AdoptedPack? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw SystemError.make("read", path: path)
        }
        defer { close(fd) }
        func damaged(_ why: String) -> CairnError {
            CairnError(.corrupt, "'\(path)' is damaged: \(why)", hint: "restore it from a backup, or remove .cairn/ and cairn.yaml and adopt the tree again")
        }
        let first = try FileSystem.readRange(fd, from: 0, count: 64, path: path)
        guard let newline = first.firstIndex(of: 10) else { throw damaged("no pack header") }
        let line = String(decoding: first[..<newline], as: UTF8.self)
        let version = line.hasPrefix(magic) ? 3 : line.hasPrefix(magicVersion2) ? 2 : line.hasPrefix(magicVersion1) ? 1 : 0
        let lengths = line.dropFirst(magic.utf8.count).split(separator: " ").map { Int($0) }
        guard version > 0, lengths.count == (version == 3 ? 2 : 1), let headerLength = lengths[0], headerLength >= 0,
              let tableLength = version == 3 ? lengths[1] : 0, tableLength >= 0 else {
            throw damaged("no pack header")
        }
        let header = try FileSystem.readRange(fd, from: Int64(newline + 1), count: headerLength, path: path)
        guard header.count == headerLength else { throw damaged("the header is cut short") }
        var list: [Entry]
        var experiments: [Int: Experiment] = [:]
        if version == 1 {
            list = try JSONCoding.decode([Entry].self, from: header, path: path)
        } else {
            let decoded = try JSONCoding.decode(Header.self, from: header, path: path)
            list = decoded.runs ?? []
            for experiment in decoded.experiments { experiments[experiment.record.id.value] = experiment }
        }
        if version == 3 {
            let table = try FileSystem.readRange(fd, from: Int64(newline + 1 + headerLength), count: tableLength, path: path)
            guard table.count == tableLength, let parsed = RunTable.parse(table) else { throw damaged("the run table is cut short or malformed") }
            list = parsed
        }
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(list.count)
        var byExperiment: [Int: [RunID]] = [:]
        for entry in list {
            // An invalid id is damage, thrown as such (the id's own error adds nothing).
            guard entry.lengths.count == 5, let id = try? RunID(entry.id) else { throw damaged("a bad entry for '\(entry.id)'") }
            entries[entry.id] = entry
            byExperiment[entry.experiment, default: []].append(id)
        }
        return AdoptedPack(path: path, dataStart: newline + 1 + headerLength + tableLength, entries: entries, byExperiment: byExperiment,
                           experiments: experiments)
    }

    /// One record of a run, or nil if the pack does not hold the run (or the record is empty).
    func bytes(_ part: Part, of id: RunID) throws(CairnError) -> [UInt8]? {
        guard let entry = entries[id.value] else { return nil }
        let length = entry.lengths[part.rawValue]
        guard length > 0 else { return nil }
        let offset = dataStart + entry.offset + entry.lengths[..<part.rawValue].reduce(0, +)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.make("read", path: path) }
        defer { close(fd) }
        let bytes = try FileSystem.readRange(fd, from: Int64(offset), count: length, path: path)
        guard bytes.count == length else {
            throw CairnError(.corrupt, "'\(path)' is cut short (the records of run '\(id)')", hint: "adopt the tree again")
        }
        return bytes
    }

    /// The folder of a run the pack holds, relative to the tree (nil in packs older than version 3).
    func folder(of id: RunID) -> String? { entries[id.value]?.folder }

    /// The registry entry of a run the pack holds.
    func location(of id: RunID, in experiment: ExperimentID) throws(CairnError) -> RunLocation? {
        guard let entry = entries[id.value], entry.experiment == experiment.value,
              let bytes = try bytes(.location, of: id) else { return nil }
        return try JSONCoding.decode(RunLocation.self, from: bytes, path: path)
    }

    /// The pack's bytes for `experiments` and their `runs`.
    static func encode(_ runs: [AdoptedRun], experiments: [ExperimentRecord]) throws(CairnError) -> [UInt8] {
        // Each run's records are encoded on both cores, then laid out in order.
        let encoded = ParallelMap.map(runs.count) { index -> Result<[[UInt8]], CairnError> in
            let run = runs[index]
            do throws(CairnError) {
                return .success([try JSONCoding.encode(run.location), try JSONCoding.encode(run.record),
                                 run.params.isEmpty ? [] : try JSONCoding.encode(run.params),
                                 run.tags.isEmpty ? [] : try JSONCoding.encode(run.tags), ManifestCodec.encode(run.manifest)])
            } catch {
                return .failure(error)
            }
        }
        var data: [UInt8] = []
        var list: [Entry] = []
        list.reserveCapacity(runs.count)
        for (run, result) in zip(runs, encoded) {
            let parts: [[UInt8]]
            switch result {
            case .success(let value): parts = value
            case .failure(let error): throw error
            }
            list.append(Entry(id: run.record.id.value, experiment: run.location.experimentID.value, offset: data.count,
                              lengths: parts.map(\.count), folder: run.location.folder))
            for part in parts { data += part }
        }
        // Each experiment's newest run: the latest start time (ties: the larger id).
        var latest: [Int: AdoptedRun] = [:]
        for run in runs {
            let key = run.location.experimentID.value
            if let current = latest[key], (current.record.startTime, current.record.id) >= (run.record.startTime, run.record.id) { continue }
            latest[key] = run
        }
        let packed = experiments.map { Experiment(record: $0, latest: latest[$0.id.value]?.record.id.value) }
        let header = try JSONCoding.encode(Header(experiments: packed, runs: nil))
        let table = RunTable.encode(list)
        return Array((magic + "\(header.count) \(table.count)\n").utf8) + header + table + data
    }
}
