import Glibc
import CairnCore
import CairnFormats
import Dispatch
import Logging

extension Store {
    /// The name of the staging folder an adoption builds `.cairn/` in before renaming it into place.
    static let adoptStagingPrefix = AtomicFile.temporaryPrefix + "adopt-"

    /// Makes an existing tree a Cairn store in place, as `git init` does a folder: reads the tree with
    /// a layout (or the one that explains most files), then writes only `cairn.yaml` and `.cairn/` at the
    /// store's root: nothing inside the tree changes. The store's root is the tree's, unless the request
    /// names another; an MLflow file store's is the folder that holds it (MLflow reads every folder of
    /// `mlruns/` as an experiment).
    ///
    /// The store appears whole or not at all: `.cairn/` is built in a temporary folder, synced, renamed
    /// into place, and `cairn.yaml` is written last.
    /// - Parameters:
    ///   - request: the tree, the layout (or `auto`), where the store goes, and whether to write anything.
    ///   - logger: where adoption reports the faults it survives (a content-field file it cannot read);
    ///     nothing by default.
    ///   - clock: where the adoption's time comes from (the experiments' creation time, the start of a
    ///     run whose folder cannot be read); the system's by default.
    ///   - progress: told the phase (`scan`, `read`, `write`), the count done and the total if known.
    /// - Throws: `CairnError` of kind `.alreadyExists` if the store root already has a store;
    ///   `.notFound` if no layout explains any file; a layout or I/O error otherwise.
    ///   Nothing is written before every check has passed.
    /// - Returns: what was found and recorded (or, for a dry run, would be).
    public static func adopt(_ request: AdoptRequest, logger: Logger = discardingLogger,
                             clock: any WallClock = SystemWallClock(),
                             progress: ((String, Int, Int?) -> Void)? = nil) throws(CairnError) -> AdoptReport {
        let tree = Paths.absolute(request.tree)
        var storeRoot = request.storeRoot.map { Paths.absolute($0) } ?? tree
        guard FileSystem.isDirectory(tree) else {
            throw CairnError(.notFound, "'\(tree)' is not a folder", hint: "give the root folder of the tree to adopt")
        }
        if FileSystem.exists(Paths.join(storeRoot, StoreSettings.fileName)) {
            throw CairnError(.alreadyExists, "'\(storeRoot)' is already a Cairn store",
                             hint: "use it as it is (new runs and checkpoints the training writes in the tree appear by themselves); 'cairn migrate --to LAYOUT' changes its layout")
        }
        if storeRoot != tree, storeRoot.hasPrefix(tree + "/") {
            throw CairnError(.conflict, "the store '\(storeRoot)' would be inside the tree '\(tree)'",
                             hint: "leave out --store to keep the store at the tree's root, or choose a folder outside it")
        }
        let layouts: [Layout]
        if let file = request.layoutFile {
            layouts = [try LayoutFile.read(file)]
        } else if let name = request.layout, name != "auto" {
            guard let layout = BuiltinLayouts.named(name) else {
                throw CairnError(.layout, "unknown layout '\(name)'",
                                 hint: "use one of: " + BuiltinLayouts.names.joined(separator: ", ") + ", or auto")
            }
            layouts = [layout]
        } else {
            layouts = BuiltinLayouts.all
        }
        try checkRootLevel(tree, layouts: layouts, named: layouts.count == 1)

        // Each layout explains the files while the tree is still being read (on another thread). Files'
        // own fields (a checkpoint's epoch, step, score) are read when a run's manifest is built.
        var sessions = layouts.map { TreeRecognizer.Session(layout: $0, fileFields: false) }
        var fileCount = 0
        var state = PreparedPath.State()
        // Every path, for the unexplained ones of the chosen layout (sessions keep their numbers).
        var paths: [String] = []
        let listing = try TreeWalker.walk(tree, progress: { progress?("scan", $0, nil) }) { batch in
            fileCount += batch.count
            paths += batch
            // What every layout needs of a path (its folder, whether it is valid) is worked out once.
            let prepared = PreparedPath.prepare(batch, state: &state)
            // Paths are read in place (not copied out of the array, which retained their strings).
            sessions.withUnsafeMutableBufferPointer { buffer in
                prepared.withUnsafeBufferPointer { paths in
                    guard buffer.count > 1 else {
                        for index in paths.indices { buffer[0].place(paths[index]) }
                        return
                    }
                    // `auto`: the layouts share out the cores, each session on one thread at a time.
                    nonisolated(unsafe) let sessions = buffer
                    nonisolated(unsafe) let paths = paths
                    DispatchQueue.concurrentPerform(iterations: sessions.count) { session in
                        for index in paths.indices { sessions[session].place(paths[index]) }
                    }
                }
            }
        }
        // The best layout's recognition in full; the others only count (ties: the order tried).
        let order = sessions.indices.sorted { a, b in
            sessions[a].explainedCount != sessions[b].explainedCount ? sessions[a].explainedCount > sessions[b].explainedCount : a < b
        }
        // A layout that also reads its convention's newer form ties with that form on a tree wholly in
        // it: the newer form is the tree's layout.
        let best = sessions[order[0]].explainedCount
        // A generic layout (every folder of event files a run) ties with a convention that explains the
        // same files and more of its own: the convention is the tree's layout.
        let conventionTies = order.contains { sessions[$0].explainedCount == best && !BuiltinLayouts.generic.contains(layouts[$0].name) }
        let candidates = order.filter { index in
            if sessions[index].explainedCount == best, conventionTies, BuiltinLayouts.generic.contains(layouts[index].name) { return false }
            guard sessions[index].explainedCount == best, let newer = BuiltinLayouts.newerForms[layouts[index].name] else { return true }
            return !order.contains { layouts[$0].name == newer && sessions[$0].explainedCount == best }
        }
        let recognition = sessions[candidates[0]].result(paths: paths)
        let ranking = order.map { (layouts[$0].name, sessions[$0].explainedCount) }
        guard recognition.explainedCount > 0, let layout = layouts.first(where: { $0.name == recognition.layout }) else {
            throw CairnError(.notFound, "no layout explains any of the \(fileCount) files under '\(tree)'",
                             hint: "check the path; 'cairn layout ls' lists the layouts; define your own in a YAML file and adopt with --layout-file FILE")
        }
        if candidates.count > 1, sessions[candidates[1]].explainedCount == recognition.explainedCount {
            let tied = candidates.filter { sessions[$0].explainedCount == recognition.explainedCount }.map { layouts[$0].name }
            throw CairnError(.ambiguous, "the layouts \(tied.joined(separator: ", ")) each explain \(recognition.explainedCount) of the \(fileCount) files under '\(tree)'",
                             hint: "choose one with --layout \(tied[0]) (or \(tied.dropFirst().joined(separator: ", "))); 'cairn adopt --dry-run --layout NAME' shows what each reads")
        }
        // MLflow's file store takes every folder of its root for an experiment (a `.cairn/` there would
        // break the scripts still logging to it): its store goes beside it, in the folder that holds it.
        if request.storeRoot == nil, layout.isMLflowFileStore {
            storeRoot = Paths.parent(tree)
            if FileSystem.exists(Paths.join(storeRoot, StoreSettings.fileName)) {
                throw CairnError(.alreadyExists, "'\(storeRoot)', which holds the MLflow file store '\(tree)', is already a Cairn store",
                                 hint: "adopt with --store DIR, a folder outside '\(tree)' for the store's records")
            }
        }
        // What recognition kept (every path, each layout's runs) is freed on another thread meanwhile.
        DispatchQueue.global(qos: .utility).async { [sessions, paths] in _ = (sessions, paths) }
        sessions = []
        paths = []
        let (experiments, adopted, warnings) = try buildAdoption(recognition, layout: layout, tree: tree, logger: logger,
                                                                   adoptedAt: clock.now(), progress: progress)
        // MLflow's experiment folders are ids: the report names them as their meta.yaml does.
        var reported = recognition
        if layout.isMLflowFileStore { MLflowExperimentFiles.name(&reported, experiments: experiments) }
        let report = AdoptReport(tree: tree, storeRoot: storeRoot,
                                 ranking: ranking, recognition: reported,
                                 runIDs: adopted.map(\.record.id), checkpoints: adopted.reduce(0) { $0 + $1.checkpoints },
                                 skipped: listing.folderLinks.map { "\($0): a symlink to a folder (not followed)" } + listing.problems,
                                 warnings: warnings, dryRun: request.dryRun)
        if request.dryRun { return report }

        let watched = TreeFolders(TreeFolders.containers(of: recognition.runs.map(\.folder), layout: layout), readAt: listing.folderTimes)
        try writeAdoptedStore(at: storeRoot, tree: tree, layout: layout, experiments: experiments,
                              runs: adopted, watched: watched, progress: progress)
        return report
    }

    /// The records of an adopted tree: experiments numbered in name order, and each run's records.
    /// - Parameters:
    ///   - preserved: run ids (and tags) to keep, by run folder (a migration keeps the ids of runs it
    ///     only moved).
    ///   - adoptedAt: the experiments' creation time, and the start of a run whose folder cannot be read.
    static func buildAdoption(_ recognition: TreeRecognition, layout: Layout, tree: String,
                              preserved: [String: RunID] = [:], withManifests: Bool = false, logger: Logger,
                              adoptedAt: Timestamp, progress: ((String, Int, Int?) -> Void)?) throws(CairnError)
        -> (experiments: [ExperimentRecord], runs: [AdoptedRun], warnings: [String]) {
        let kept = Set(recognition.runs.compactMap { preserved[$0.folder]?.value })
        var ids = AdoptedRunIDs.assign(folders: recognition.runs.map(\.folder), fields: recognition.runs.map(\.fields), taken: kept)
        for (index, run) in recognition.runs.enumerated() {
            if let id = preserved[run.folder] { ids[index] = id }
        }
        var experiments: [String: ExperimentRecord] = [:]
        var experimentWarnings: [String] = []
        // MLflow's file store names experiment folders by id; their meta.yaml names them.
        let byMLflowID = layout.isMLflowFileStore
        if byMLflowID {
            (experiments, experimentWarnings) = MLflowExperimentFiles.records(for: recognition.experimentNames, tree: tree, adoptedAt: adoptedAt)
        }
        for (index, text) in recognition.experimentNames.enumerated() where !byMLflowID {
            let name: ExperimentName
            do throws(CairnError) { name = try ExperimentName(text) } catch {
                throw CairnError(.invalidName, "the layout '\(layout.name)' names an experiment \(NameComponent.quoted(text)) that Cairn cannot use: \(error.message)",
                                 hint: "use another layout (--layout)")
            }
            let record = ExperimentRecord(id: ExperimentID(index + 1), name: name, createdAt: adoptedAt)
            try checkNoClash(name, with: Array(experiments.values))
            experiments[text] = record
        }
        // Runs are read on both cores (a stat of each run folder or checkpoint, its config).
        // Runs of an experiment that could not be read are not adopted (the warning says why).
        let indices = recognition.runs.indices.filter { experiments[recognition.runs[$0].experimentName] != nil }
        progress?("read", 0, indices.count)
        let built = ParallelMap.map(indices.count) { position -> (run: AdoptedRun, warnings: [String]) in
            let index = indices[position]
            let run = recognition.runs[index]
            var builder = AdoptedRunBuilder(layout: layout, tree: tree, logger: logger, adoptedAt: adoptedAt)
            let experiment = experiments[run.experimentName]!
            let adopted = withManifests ? builder.build(run, id: ids[index], experiment: experiment)
                                        : builder.record(run, id: ids[index], experiment: experiment)
            return (adopted, builder.warnings)
        }
        progress?("read", indices.count, indices.count)
        if let param = layout.parentExperimentParam { linkParents(&experiments, runs: built.map(\.run), param: param) }
        return (experiments.values.sorted { $0.id.value < $1.id.value }, built.map(\.run), experimentWarnings + built.flatMap(\.warnings))
    }

    /// Records the experiment each experiment continues from, where a run's config names it under
    /// `param`: the experiment with that name, else the one whose name ends with it (`mlm_small` →
    /// `pretraining/mlm_small`), when exactly one does and it is another experiment.
    static func linkParents(_ experiments: inout [String: ExperimentRecord], runs: [AdoptedRun], param: String) {
        for run in runs {
            guard let named = run.params[param], !named.isEmpty, let own = experiments[run.record.experiment] else { continue }
            let candidates = experiments.values.filter { other in
                other.id != own.id && (other.name.description == named || other.name.description.hasSuffix("/" + named))
            }
            let exact = candidates.filter { $0.name.description == named }
            guard let parent = exact.count == 1 ? exact[0] : (candidates.count == 1 ? candidates[0] : nil) else { continue }
            experiments[run.record.experiment]?.parentExperimentID = parent.id
        }
    }

    /// Builds `.cairn/` in a staging folder, syncs it, renames it into place and writes `cairn.yaml`.
    private static func writeAdoptedStore(at storeRoot: String, tree: String, layout: Layout, experiments: [ExperimentRecord],
                                          runs: [AdoptedRun], watched: TreeFolders,
                                          progress: ((String, Int, Int?) -> Void)?) throws(CairnError) {
        if !FileSystem.exists(storeRoot) {
            try FileSystem.makeDirectories(Paths.parent(storeRoot))
            try FileSystem.checkWritable(Paths.parent(storeRoot))
            try FileSystem.makeDirectories(storeRoot)
        }
        try FileSystem.checkWritable(storeRoot)
        let meta = Paths.join(storeRoot, ".cairn")
        let incomplete = Paths.join(meta, adoptIncompleteMarker)
        // A `.cairn/` left by an adoption killed before it wrote cairn.yaml is ours to replace.
        if FileSystem.exists(meta) {
            guard FileSystem.exists(incomplete) else {
                throw CairnError(.conflict, "'\(meta)' exists but '\(storeRoot)' has no \(StoreSettings.fileName)",
                                 hint: "move '\(meta)' away if it is not needed, then adopt again")
            }
            TreeCopy.remove(meta)
        }
        removeAbandonedStaging(in: storeRoot)
        let staging = try stageMeta(in: storeRoot, experiments: experiments, runs: runs,
                                    extraFiles: [TreeFolders.fileName: watched.bytes], progress: progress)
        if rename(staging, meta) != 0 {
            let code = errno
            TreeCopy.remove(staging)
            throw SystemError.make("rename into place", path: meta, errno: code)
        }
        FileSystem.syncDirectory(storeRoot)
        let settings = StoreSettings(layoutName: layout.name, adopted: true, tree: storeRoot == tree ? nil : tree,
                                     customLayout: BuiltinLayouts.named(layout.name) == nil ? layout : nil)
        try AtomicFile.create(Array(settings.yaml.utf8), at: Paths.join(storeRoot, StoreSettings.fileName))
        if storeRoot == tree { TreeFolders.takeRootTime(metaRoot: meta, tree: tree) }
        FileSystem.remove(incomplete)
        progress?("write", runs.count, runs.count)
    }

    /// Removes what adoptions or migrations that were killed left in the store's folder: staging
    /// folders and a half-written `cairn.yaml` (their process is gone).
    static func removeAbandonedStaging(in storeRoot: String) {
        AbandonedTemporaries.remove(in: storeRoot)
    }

    /// Writes a complete `.cairn/` for adopted runs into a new staging folder under `storeRoot`, synced,
    /// and returns its path; on failure removes it.
    static func stageMeta(in storeRoot: String, experiments: [ExperimentRecord], runs: [AdoptedRun],
                          extraFiles: [String: [UInt8]] = [:], progress: ((String, Int, Int?) -> Void)?) throws(CairnError) -> String {
        var random = SystemRandomNumberGenerator()
        let staging = Paths.join(storeRoot, adoptStagingPrefix + "\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
        do throws(CairnError) {
            try StagingWriter.write(Array("adoption in progress\n".utf8), to: Paths.join(staging, adoptIncompleteMarker))
            for (name, bytes) in extraFiles { try StagingWriter.write(bytes, to: Paths.join(staging, name)) }
            try FileSystem.makeDirectories(Paths.join(staging, "experiments"))
            try FileSystem.makeDirectories(Paths.join(staging, "runs"))
            // Experiments' records go into the pack with the runs': an experiment gets its own folder
            // only when something about it changes (100 experiments were 400 files and folders).
            progress?("write", 0, runs.count)
            try StagingWriter.write(try AdoptedPack.encode(runs, experiments: experiments), to: Paths.join(staging, AdoptedPack.fileName))
            try StagingWriter.syncAll(in: staging)
        } catch {
            TreeCopy.remove(staging)
            throw error
        }
        return staging
    }

    /// Refuses a tree whose root is the folder a layout expects inside it: `checkpoints/` adopted
    /// instead of the folder that holds it would read its experiments as bogus runs. Checked for a
    /// named layout whose run folders begin with a fixed folder (`checkpoints/…`, `experiments/…`), and in
    /// auto-detection for each such layout, when the tree is named like that folder and has none inside.
    static func checkRootLevel(_ tree: String, layouts: [Layout], named: Bool) throws(CairnError) {
        let name = Paths.lastComponent(tree)
        guard !FileSystem.isDirectory(Paths.join(tree, name)) else { return }
        for layout in layouts {
            guard let first = layout.template(.run)?.text.split(separator: "/").first, String(first) == name,
                  !first.contains("{"), !first.contains("[") else { continue }
            let parent = Paths.parent(tree)
            throw CairnError(.layout, "'\(tree)' is the \(name)/ folder itself, but the layout '\(layout.name)' reads the folder that holds \(name)/",
                             hint: "adopt '\(parent)' instead" + (named ? "" : ", or name a layout with --layout"))
        }
    }

    /// The file that marks a `.cairn/` whose adoption has not finished (no `cairn.yaml` yet).
    static let adoptIncompleteMarker = "adopt-incomplete"
}
