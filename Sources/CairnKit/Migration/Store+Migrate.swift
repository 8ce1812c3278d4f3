import Glibc
import CairnCore
import CairnFormats
import Logging

extension Store {
    var migrationJournalPath: String { Paths.join(metaRoot, MigrationJournal.fileName) }

    /// True while a migration is unfinished (killed, or stopped by an error).
    public var hasUnfinishedMigration: Bool { FileSystem.exists(migrationJournalPath) }

    /// Plans moving the tree to another layout, without changing anything.
    /// - Parameters:
    ///   - targetName: the layout to move to (built in, or defined in `cairn.yaml`).
    ///   - mapping: fields to rename on the way (`arch` becomes `model_type`).
    /// - Returns: every move, the files already in place, the files left where they are, and the
    ///   problems (collisions, files the target has no place for) that would stop the migration.
    /// - Throws: `CairnError` of kind `.conflict` for a store not made by `cairn adopt`; `.layout` for
    ///   an unknown layout; `.busy` while a migration is unfinished; an error if the tree cannot be read.
    public func planMigration(to targetName: String, mapping: FieldMapping) throws(CairnError) -> MigrationPlan {
        try plannedMigration(to: targetName, mapping: mapping).plan
    }

    /// The plan, the target layout, the tree's files as listed for planning, and the tree as the
    /// store's layout explains it.
    private func plannedMigration(to targetName: String, mapping: FieldMapping) throws(CairnError)
        -> (plan: MigrationPlan, target: Layout, files: [String], recognition: TreeRecognition) {
        guard settings.adopted else {
            throw CairnError(.conflict, "the store '\(root)' was made by 'cairn init'; migrate moves trees made stores by 'cairn adopt'",
                             hint: "a store Cairn created keeps its layout for the runs it has; set 'layout:' in cairn.yaml for new runs")
        }
        guard var target = settings.layout(named: targetName) else {
            throw CairnError(.layout, "unknown layout '\(targetName)'",
                             hint: "use one of: " + settings.allLayouts.map(\.name).joined(separator: ", "))
        }
        // A tool's files give the runs what their paths cannot (status, times, overrides, metrics): a
        // target without a tool carries them (`cairn+sacred`), moved with their run and still read.
        if let tool = layout.tool, target.tool != tool {
            guard target.tool == nil, let carrying = target.carrying(layout) else {
                throw CairnError(.layout, "the layout '\(target.name)' reads \(target.tool.map { "\($0)'s" } ?? "no tool's") files, not \(tool)'s, which give the runs what their paths cannot (status, times, overrides, metrics): migrating the tree to it would lose them",
                                 hint: "migrate to a layout without a tool of its own (cairn, for example): it carries \(tool)'s files")
            }
            target = carrying
        }
        if hasUnfinishedMigration {
            throw CairnError(.busy, "a migration of '\(root)' is unfinished",
                             hint: "run 'cairn migrate --resume' to finish it or 'cairn migrate --rollback' to undo it")
        }
        let listing = try TreeWalker.walk(treeRoot)
        let recognition = TreeRecognizer.recognize(listing.files, layout: layout)
        var context = MigrationContext()
        if !layout.contentFields.isEmpty {
            var unusable = UnusableContentFiles()
            for run in recognition.runs {
                for file in run.files where file.isInFolderItem && context.itemFields[run.folder + "/" + file.item] == nil {
                    context.itemFields[run.folder + "/" + file.item] = ContentFieldReader.fields(layout, folder: absolute(run.folder + "/" + file.item),
                                                                                                unusable: &unusable)
                }
            }
            unusable.warn(logger, layout: layout)
        }
        context.runFields = try migrationRunFields(target: target)
        context.origins = try MigrationOrigins.read(metaRoot: metaRoot, layout: target.name)?.paths ?? [:]
        for path in listing.fileLinks + listing.folderLinks {
            guard let text = FileSystem.linkText(absolute(path)) else { continue }
            context.links[path] = (text, TreePath.resolve(text, in: TreePath.parent(path)))
        }
        let sourceLayout = layout, tree = treeRoot
        context.contentKind = { path in ContentSniffer.kind(atPath: Paths.join(tree, path)) }
        context.missingFieldCause = { item, field in ContentFieldReader.whyMissing(sourceLayout, field: field, folder: Paths.join(tree, item)) }
        let plan = MigrationPlanner.plan(recognition, from: layout, to: target, mapping: mapping, context: context,
                                         existing: Set(listing.files))
        return (plan, target, listing.files, recognition)
    }

    /// What the store knows of each run that a target layout may need to name it, by run folder: its
    /// id (`run_id`), its experiment's name and id (`experiment`, `experiment_id`), and its start time under the name of each time field of the target's run template.
    private func migrationRunFields(target: Layout) throws(CairnError) -> [String: LayoutFields] {
        let timeFields = target.template(.run)?.timeFieldNames ?? []
        var names: [ExperimentID: String] = [:]
        for experiment in try experiments() { names[experiment.id] = experiment.name.description }
        var out: [String: LayoutFields] = [:]
        for summary in try runs() {
            var fields: LayoutFields = ["run_id": .string(summary.run.id.value)]
            // The experiment's name as the store knows it (an MLflow file store's folders are ids).
            if let name = names[summary.run.record.experimentID] { fields["experiment"] = .string(name) }
            fields["experiment_id"] = .int(summary.run.record.experimentID.value)
            for name in timeFields { fields[name] = .time(LayoutTime(summary.run.record.startTime)) }
            // A folder that holds several runs keeps the newest's id, as the records do.
            if let known = out[summary.run.folder]?["run_id"]?.stringValue, known > summary.run.id.value { continue }
            out[summary.run.folder] = fields
        }
        return out
    }

    /// The sha256 of checkpoints recorded in the manifests (at saving, or by `ckpt verify`), by the tree
    /// path each will have after `plan`. Runs whose manifest was never written (adopted, never
    /// verified) have none and are not read. A folder checkpoint's sha256 (over its files' relative
    /// paths and sha256) is carried only when the folder moves whole: each of its files into one new
    /// folder under the same relative path, where no other file is.
    ///
    /// Also the epochs and steps of checkpoints, by the same paths, where the store's layout reads them
    /// from inside folder checkpoints (`content_fields`), which the new layout's paths may not say.
    private func knownDigests(_ plan: MigrationPlan, files: [String]) throws(CairnError)
        -> (digests: [String: String], positions: [String: KnownPosition]) {
        let targets = Dictionary(plan.moves.map { ($0.source, $0.target) }, uniquingKeysWith: { a, _ in a })
        var folders: (files: [String: [String]], incoming: [String: Int])?
        var out: [String: String] = [:]
        var positions: [String: KnownPosition] = [:]
        let readsContents = !layout.contentFields.isEmpty
        for summary in try runs() {
            var recorded = FileSystem.exists(try runFilePath(summary.run, .checkpointManifest))
            if !recorded { recorded = try adoptedPack?.bytes(.manifest, of: summary.run.id) != nil }
            guard recorded || readsContents else { continue }
            let view: CheckpointView
            do throws(CairnError) {
                view = try RunCheckpoints.view(store: self, run: summary.run)
            } catch {
                logger.warning("cannot read the checkpoint manifest of run \(summary.run.id) (\(error.messageWithCause)); the migration does not carry its checkpoints' sha256, which 'cairn ckpt verify' records again",
                               metadata: ["run_id": "\(summary.run.id)", "path": "\(summary.run.absoluteFolder)"])
                continue
            }
            for entry in view.state.entries where entry.isKept && (!entry.sha256.isEmpty || (readsContents && entry.epoch != nil)) {
                let path = summary.run.folder + "/" + entry.path
                let target: String?
                switch entry.kind {
                case .file:
                    target = targets[path] ?? path
                case .folder:
                    if folders == nil { folders = (WholeFolderMoves.byFolder(files), WholeFolderMoves.byFolder(plan.moves.map(\.target)).mapValues(\.count)) }
                    target = WholeFolderMoves.target(path, targets: targets, filesByFolder: folders!.files, movesInto: folders!.incoming)
                }
                guard let target else { continue }
                if !entry.sha256.isEmpty { out[target] = entry.sha256 }
                if readsContents && entry.epoch != nil { positions[target] = KnownPosition(epoch: entry.epoch, step: entry.step) }
            }
        }
        return (out, positions)
    }

    /// Moves the tree to another layout: plans, checks every target can be written (and that a copy
    /// across file systems fits), journals the plan, moves each file, and records the tree anew in
    /// `.cairn/`. Nothing moves if the plan has problems. A killed migration is finished by
    /// ``resumeMigration(progress:)`` or undone by ``rollbackMigration(progress:)``.
    /// - Parameters:
    ///   - targetName: the layout to move to.
    ///   - mapping: fields to rename on the way.
    ///   - dryRun: plan only; move nothing.
    ///   - progress: told the number of files moved and the total.
    /// - Returns: the plan and how many files moved; `executed` is false for a dry run, a plan with
    ///   problems, or nothing to do.
    /// - Throws: what ``planMigration(to:mapping:)`` throws; `CairnError` of kind `.io` when a copy
    ///   across file systems would not fit or does not read back the same; an error from a move (the
    ///   journal then lets ``resumeMigration(progress:)`` or ``rollbackMigration(progress:)`` finish).
    public func migrate(to targetName: String, mapping: FieldMapping, dryRun: Bool, rewriteConfigs: Bool = false,
                        progress: ((Int, Int) -> Void)? = nil) throws(CairnError) -> MigrationReport {
        let (plan, target, files, recognition) = try plannedMigration(to: targetName, mapping: mapping)
        let (references, rewrites) = plan.isExecutable ? ConfigReferenceFinder(treeRoot: treeRoot, plan: plan, files: files).find(recognition) : ([], [])
        var report = MigrationReport(plan: plan, moved: 0, executed: false, configReferences: references)
        guard plan.isExecutable, !dryRun else { return report }
        // A migration killed while it wrote its journal left the journal's temporary (and nothing else):
        // removed even when this one has nothing to move.
        AbandonedTemporaries.remove(in: metaRoot)
        if plan.moves.isEmpty && layout.name == target.name { return report }
        try checkMigrationTargets(plan)
        // What the new records keep of the old must be readable before anything moves.
        _ = try keptRunRecords()
        let (digests, positions) = try knownDigests(plan, files: files)
        let journal = MigrationJournal(from: layout.name, to: target.name, map: mapping.renames.map { "\($0.key)=\($0.value)" }.sorted(),
                                       moves: plan.moves, phase: "moving", knownDigests: digests,
                                       knownPositions: positions.isEmpty ? nil : positions, runFolders: plan.runFolders,
                                       configRewrites: rewriteConfigs && !rewrites.isEmpty ? rewrites : nil)
        try AtomicFile.create(try JSONCoding.encode(journal), at: migrationJournalPath)
        report.moved = try runJournal(journal, progress: progress)
        report.executed = true
        report.configsRewritten = journal.configRewrites != nil
        return report
    }

    /// Finishes a migration that was killed or stopped: completes the moves, then records the tree in
    /// its new layout. Does nothing when no migration is unfinished.
    /// - Parameter progress: told the number of files moved and the total.
    /// - Returns: the journal's plan and how many files moved, or nil when no migration was unfinished.
    /// - Throws: `CairnError` when a move fails or the journal cannot be read (run it again after
    ///   fixing the cause).
    public func resumeMigration(progress: ((Int, Int) -> Void)? = nil) throws(CairnError) -> MigrationReport? {
        guard let journal = try readJournal() else { return nil }
        let moved = try runJournal(journal, progress: progress)
        return MigrationReport(plan: Self.plan(of: journal), moved: moved, executed: true)
    }

    /// Undoes a migration that was killed or stopped: moves every file back and records the tree in
    /// its old layout. Does nothing when no migration is unfinished.
    /// - Parameter progress: told the number of files moved back and the total.
    /// - Returns: the reversed plan and how many files moved back, or nil when no migration was
    ///   unfinished.
    /// - Throws: `CairnError` when a move fails or the journal cannot be read or written.
    public func rollbackMigration(progress: ((Int, Int) -> Void)? = nil) throws(CairnError) -> MigrationReport? {
        guard var journal = try readJournal() else { return nil }
        if journal.phase != "rolling-back" {
            journal = journal.reversed()
            try AtomicFile.write(try JSONCoding.encode(journal), to: migrationJournalPath)
        }
        let moved = try runJournal(journal, progress: progress)
        return MigrationReport(plan: Self.plan(of: journal), moved: moved, executed: true)
    }

    private static func plan(of journal: MigrationJournal) -> MigrationPlan {
        MigrationPlan(from: journal.from, to: journal.to, moves: journal.moves, unchanged: 0, problems: [], leftInPlace: [])
    }

    private func readJournal() throws(CairnError) -> MigrationJournal? {
        guard let bytes = try FileSystem.readIfPresent(migrationJournalPath) else { return nil }
        return try JSONCoding.decode(MigrationJournal.self, from: bytes, path: migrationJournalPath)
    }

    /// Runs (or finishes) the journal's moves, then records the tree in the journal's target layout
    /// and removes the journal. Every step can be repeated after a kill.
    private func runJournal(_ journal: MigrationJournal, progress: ((Int, Int) -> Void)?) throws(CairnError) -> Int {
        // Run folders move: the index (a cache) is dropped first, and rebuilt by the next search.
        removeIndex()
        Self.removeAbandonedStaging(in: root)
        AbandonedTemporaries.remove(in: metaRoot)
        var digests = journal.knownDigests
        if journal.phase != "recorded" {
            for (index, move) in journal.moves.enumerated() {
                if move.source != move.target,
                   let sha = try FileMover.move(absolute(move.source), to: absolute(move.target)) { digests[move.target] = sha }
                if let link = move.link {
                    try FileMover.rewriteLink(absolute(move.target), from: link.from, to: link.to)
                    FaultInjection.point("migrate-after-link")
                }
                FaultInjection.point("migrate-after-move")
                if index % 64 == 0 { progress?(index, journal.moves.count) }
            }
            for rewrite in journal.configRewrites ?? [] {
                let path = absolute(rewrite.path)
                // Done once: a config that reads as after was rewritten already; one that reads neither
                // way changed since the plan and is left as it is.
                guard let text = try? FileSystem.readText(path), text == rewrite.before else {
                    if (try? FileSystem.readText(path)) != rewrite.after {
                        logger.warning("the config '\(path)' changed since the migration was planned (or cannot be read) and is not rewritten; its values naming moved files are listed by 'cairn migrate --dry-run --to \(journal.to)'",
                                       metadata: ["path": "\(path)"])
                    }
                    continue
                }
                try AtomicFile.write(Array(rewrite.after.utf8), to: path)
            }
            for folder in Set(journal.moves.filter { $0.source != $0.target }.map { Paths.parent(absolute($0.source)) }) {
                FileMover.removeEmptyFolders(from: folder, stop: treeRoot)
            }
            progress?(journal.moves.count, journal.moves.count)
            FaultInjection.point("migrate-before-record")
            try recordTree(layoutName: journal.to, journal: journal, digests: digests)
        }
        // `.cairn/` describes the new layout; cairn.yaml says so last.
        let updated = settings.with(layoutName: journal.to)
        try AtomicFile.write(Array(updated.yaml.utf8), to: settingsPath)
        if treeRoot == root { TreeFolders.takeRootTime(metaRoot: metaRoot, tree: treeRoot) }
        FileSystem.remove(migrationJournalPath)
        FileSystem.syncDirectory(metaRoot)
        return journal.moves.count
    }

    /// Rebuilds `.cairn/` for the tree as `layoutName` explains it, keeping the ids and tags of runs
    /// whose folder did not change, and swaps it in atomically with the journal (marked `recorded`).
    private func recordTree(layoutName: String, journal: MigrationJournal, digests: [String: String]) throws(CairnError) {
        guard let layout = settings.layout(named: layoutName) else {
            throw CairnError(.layout, "unknown layout '\(layoutName)' in '\(migrationJournalPath)'", hint: "define it again in cairn.yaml, then resume")
        }
        let listing = try TreeWalker.walk(treeRoot)
        let recognition = TreeRecognizer.recognize(listing.files, layout: layout)
        let watched = TreeFolders(TreeFolders.containers(of: recognition.runs.map(\.folder), layout: layout), readAt: listing.folderTimes)
        let (kept, tags, starts) = try keptRunRecords()
        // Runs keep their id when their folder moves.
        var preserved: [String: RunID] = [:]
        for (folder, id) in kept { preserved[journal.runFolders?[folder] ?? folder] = id }
        let origins = try MigrationOrigins.after(journal, kept: try MigrationOrigins.readAll(metaRoot: metaRoot))
        var (experiments, adopted, _) = try Self.buildAdoption(recognition, layout: layout, tree: treeRoot,
                                                               preserved: preserved, withManifests: true, logger: logger,
                                                               adoptedAt: clock.now(), progress: nil)
        Self.keepExperimentRecords(try self.experiments(), in: &experiments, runs: &adopted)
        for index in adopted.indices {
            adopted[index].tags = tags[adopted[index].record.id] ?? [:]
            // The start the store knew, which the new paths may no longer say (a Hydra run's folder time).
            if let start = starts[adopted[index].record.id], start != adopted[index].record.startTime {
                adopted[index].record.startTime = start
                if let end = adopted[index].record.endTime {
                    adopted[index].record.durationSeconds = Double(end.millisecondsSinceEpoch - start.millisecondsSinceEpoch) / 1000
                }
            }
            adopted[index].manifest = adopted[index].manifest.map { event in
                guard case .begin(var begin) = event else { return event }
                let path = adopted[index].location.folder + "/" + begin.path
                if let sha = digests[path] { begin.sha256 = sha }
                // What the new paths do not say, the store knew before: a folder checkpoint's epoch.
                if let known = journal.knownPositions?[path] {
                    if begin.epoch == nil { begin.epoch = known.epoch }
                    if begin.step == nil { begin.step = known.step }
                }
                return .begin(begin)
            }
        }
        experiments.sort { $0.id.value < $1.id.value }
        var recorded = journal
        recorded.phase = "recorded"
        let staging = try Self.stageMeta(in: root, experiments: experiments, runs: adopted,
                                         extraFiles: origins.merging([MigrationJournal.fileName: try JSONCoding.encode(recorded),
                                                                      TreeFolders.fileName: watched.bytes]) { _, new in new }, progress: nil)
        FileSystem.remove(Paths.join(staging, Self.adoptIncompleteMarker))
        guard PointerWriter.exchange(staging, metaRoot) else {
            let code = errno
            TreeCopy.remove(staging)
            throw SystemError.make("swap in the new records at", path: metaRoot, errno: code)
        }
        FileSystem.syncDirectory(root)
        TreeCopy.remove(staging)
    }

    /// Gives the experiments a migration found the records the store had for them, by name (their
    /// ids, which the MLflow API answers with, creation times, tags, a soft deletion), and their runs
    /// those ids; an experiment new to the store gets an id no old one has.
    static func keepExperimentRecords(_ old: [ExperimentRecord], in experiments: inout [ExperimentRecord], runs: inout [AdoptedRun]) {
        var byName: [String: ExperimentRecord] = [:]
        for record in old { byName[record.name.description] = record }
        var next = (old.map(\.id.value).max() ?? 0) + 1
        var ids: [ExperimentID: ExperimentID] = [:]
        var kept = experiments
        for index in kept.indices {
            if let found = byName[kept[index].name.description] {
                kept[index] = found
            } else {
                kept[index].id = ExperimentID(next)
                next += 1
            }
            ids[experiments[index].id] = kept[index].id
        }
        // A parent the tree's configs name now, else the one the store knew.
        for index in kept.indices {
            if let parent = experiments[index].parentExperimentID.flatMap({ ids[$0] }) { kept[index].parentExperimentID = parent }
        }
        experiments = kept
        for index in runs.indices {
            guard let id = ids[runs[index].location.experimentID] else { continue }
            runs[index].location.experimentID = id
            runs[index].record.experimentID = id
        }
        experiments.sort { $0.id.value < $1.id.value }
    }

    /// What a migration keeps of the store's records: each run's id, by its folder (kept for runs
    /// whose folder does not change), its tags and its start time. All or nothing: a registry entry or tags file that
    /// cannot be read stops the migration (checked before anything moves) rather than dropping that
    /// run's id and tags from the new records.
    private func keptRunRecords() throws(CairnError) -> (ids: [String: RunID], tags: [RunID: [String: String]], starts: [RunID: Timestamp]) {
        var ids: [String: RunID] = [:]
        var tags: [RunID: [String: String]] = [:]
        var starts: [RunID: Timestamp] = [:]
        for experiment in try experiments() {
            for id in try registeredRunIDs(experiment.id) {
                do throws(CairnError) {
                    // Nil only for an entry removed since the listing: that run is gone.
                    guard let location = try registryEntry(experiment.id, id) else { continue }
                    // A folder that held several runs keeps the newest's id.
                    if ids[location.folder].map({ $0 < id }) ?? true { ids[location.folder] = id }
                    tags[id] = try self.tags(of: location)
                    // Read from the store's records: the run folder may have moved already.
                    let recordPath = try runFilePath(location, .runRecord)
                    var bytes = try FileSystem.readIfPresent(recordPath)
                    if bytes == nil { bytes = try adoptedPack?.bytes(.record, of: id) }
                    if let bytes { starts[id] = try JSONCoding.decode(RunRecord.self, from: bytes, path: recordPath).startTime }
                } catch {
                    throw CairnError(error.kind, "the migration keeps each run's id and tags, and cannot read those of run \(id): \(error.message)",
                                     hint: "repair or move away that file, then migrate again (or 'cairn migrate --resume' if the migration had started)",
                                     cause: error.cause)
                }
            }
        }
        return (ids, tags, starts)
    }

    /// Checks, before anything moves, that every folder a file moves into (or the nearest one that
    /// exists) can be written, and that copies across file systems fit in the free space.
    private func checkMigrationTargets(_ plan: MigrationPlan) throws(CairnError) {
        var checked = Set<String>()
        var needed: [UInt64: (folder: String, bytes: Int64)] = [:]
        for move in plan.moves {
            var folder = Paths.parent(absolute(move.target))
            while !FileSystem.exists(folder), folder.count > treeRoot.count { folder = Paths.parent(folder) }
            let sourceFolder = Paths.parent(absolute(move.source))
            for path in [folder, sourceFolder] where checked.insert(path).inserted {
                try FileSystem.checkWritable(path)
            }
            var source = stat(), target = stat()
            guard lstat(absolute(move.source), &source) == 0, stat(folder, &target) == 0 else { continue }
            if source.st_dev != target.st_dev {
                needed[UInt64(target.st_dev), default: (folder, 0)].bytes += Int64(source.st_size)
            }
        }
        for (_, need) in needed {
            var info = statvfs()
            guard statvfs(need.folder, &info) == 0 else { continue }
            let free = Int64(info.f_bavail) * Int64(info.f_frsize)
            if free < need.bytes + (1 << 20) {
                throw CairnError(.io, "not enough space under '\(need.folder)': the migration copies \(need.bytes) bytes there and \(free) are free",
                                 hint: "free space there (nothing has moved yet)")
            }
        }
    }
}
