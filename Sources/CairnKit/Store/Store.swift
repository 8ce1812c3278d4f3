#if !os(Linux)
#error("Cairn builds on Linux only; see README")
#endif
import CairnCore
import Foundation
import Logging

/// A Cairn store: a folder marked by `cairn.yaml`, holding experiments and runs in the folders its
/// layout names, with Cairn's own records under `.cairn/`.
///
/// `Store` is a value: open it once per command. Every method reads from disk, so two processes
/// working on one store see each other's changes; every write is atomic.
///
/// ```swift
/// let store = try Store.open(at: "/data/ckpt")                  // or Store.initialize(at:), Store.locate(…)
/// let run = try store.createRun(RunRequest(experiment: try ExperimentName("vae/baseline")))
/// ```
public struct Store: Sendable {
    /// The absolute path of the store's root folder (where `cairn.yaml` and `.cairn/` are).
    public let root: String
    /// The content of the store's `cairn.yaml`, as read when the store was opened.
    public let settings: StoreSettings
    /// The layout in force for new experiments and runs.
    public let layout: Layout
    /// The absolute path of the folder the layout's paths are relative to: the root, or the tree an
    /// adopted store describes from elsewhere (`tree:` in `cairn.yaml`).
    public let treeRoot: String

    /// Where the store reports the faults it survives (a heartbeat that could not be written, a
    /// record it had to skip), at `warning` level with the path and run id as metadata. Never used
    /// for what a call throws. By default ``discardingLogger``: the library writes nothing itself.
    public let logger: Logger
    /// Where every time the store records comes from (see ``WallClock``); ``SystemWallClock`` by default.
    public let clock: any WallClock

    /// The records `cairn adopt` wrote for the runs it found (`.cairn/adopted.pack`), in an adopted store.
    let adoptedPack: AdoptedPack?

    /// The index as this process uses it (opened on first use), shared by copies of this value.
    let index: StoreIndex
    /// Experiment records already read (checked against their file's stamp), shared by copies.
    let experimentRecords = ExperimentRecordCache()

    init(root: String, settings: StoreSettings, layout: Layout, adoptedPack: AdoptedPack? = nil,
         logger: Logger, clock: any WallClock) {
        self.root = root
        self.settings = settings
        self.layout = layout
        self.adoptedPack = adoptedPack
        self.logger = logger
        self.clock = clock
        treeRoot = settings.tree.map { Paths.absolute($0, relativeTo: root) } ?? root
        // The database named in cairn.yaml (checked when the file was read); `locate` and the CLI's
        // `--database` may name another (``useIndexDatabase(_:poolSize:environment:)``).
        let database = settings.indexDatabase.flatMap { try? IndexDatabase($0, poolSize: settings.indexPool, environment: ProcessInfo.processInfo.environment) }
        index = StoreIndex(path: Paths.join(root, ".cairn/index.sqlite"), database: database, storeID: settings.storeID)
    }

    /// A logger that discards every record: the default for a store, so that the library writes
    /// nothing unless its caller gives it a logger.
    public static let discardingLogger = Logger(label: "cairn", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The environment variable that names a store.
    public static let environmentVariable = "CAIRN_STORE"

    /// Opens the store whose root is `root`.
    ///
    /// An adopted store whose adoption was killed after writing `cairn.yaml` is tidied on the way
    /// (a leftover temporary and marker removed, best effort).
    /// - Parameters:
    ///   - root: the store's root folder, absolute or relative to the current directory.
    ///   - logger: where the store reports the faults it survives (``logger``); nothing by default.
    ///   - clock: where the times the store records come from (``clock``); the system's by default.
    /// - Returns: the store.
    /// - Throws: `CairnError` of kind `.storeNotFound` when `root` has no `cairn.yaml`;
    ///   `.unsupportedFormat` for a newer format; `.invalidConfig` for a malformed `cairn.yaml`;
    ///   `.layout` when it names a layout that is not defined.
    public static func open(at root: String, logger: Logger = discardingLogger,
                            clock: any WallClock = SystemWallClock()) throws(CairnError) -> Store {
        let absolute = Paths.absolute(root)
        let file = Paths.join(absolute, StoreSettings.fileName)
        guard let bytes = try FileSystem.readIfPresent(file) else {
            throw CairnError(.storeNotFound, "no Cairn store at '\(absolute)' (no \(StoreSettings.fileName))",
                             hint: "run 'cairn init \(absolute)' to create one")
        }
        let settings = try StoreSettings(yaml: String(decoding: bytes, as: UTF8.self), path: file)
        guard let layout = settings.layout(named: settings.layoutName) else {
            throw CairnError(.layout, "'\(file)' names the layout '\(settings.layoutName)', which is not defined",
                             hint: "use one of: " + settings.allLayouts.map(\.name).joined(separator: ", "))
        }
        if settings.adopted { finishInterruptedAdoption(absolute) }
        let pack = settings.adopted ? try AdoptedPack.load(Paths.join(absolute, ".cairn/" + AdoptedPack.fileName)) : nil
        let store = Store(root: absolute, settings: settings, layout: layout, adoptedPack: pack, logger: logger, clock: clock)
        // Training scripts keep writing an adopted tree: its new run folders are registered first.
        store.refreshAdoptedTreeQuietly()
        return store
    }

    /// An adoption killed after it wrote `cairn.yaml` but before it removed its `adopt-incomplete`
    /// marker may have left the temporary of `cairn.yaml` beside it, or that of `.cairn/tree-folders`
    /// (rewritten once `cairn.yaml` is there): the first open afterwards removes them and the marker
    /// (best effort: a read-only store is left as it is).
    private static func finishInterruptedAdoption(_ root: String) {
        let marker = Paths.join(root, ".cairn/" + adoptIncompleteMarker)
        guard FileSystem.exists(marker) else { return }
        AbandonedTemporaries.remove(in: root)
        AbandonedTemporaries.remove(in: Paths.join(root, ".cairn"))
        FileSystem.remove(marker)
    }

    /// Finds the store for a command, as git finds a repository: an explicit `--store` first, then
    /// `$CAIRN_STORE`, then the nearest folder holding `cairn.yaml` from `directory` upwards.
    /// - Parameters:
    ///   - explicit: the store the caller named (`--store`), if any.
    ///   - environment: the environment to read `CAIRN_STORE` from.
    ///   - directory: where the upward search starts; the current directory by default.
    ///   - logger: where the store reports the faults it survives (``logger``); nothing by default.
    ///   - clock: where the times the store records come from (``clock``); the system's by default.
    /// - Returns: the store found.
    /// - Throws: `CairnError` of kind `.storeNotFound` when no store is found; what
    ///   ``open(at:logger:clock:)`` throws for the one found.
    public static func locate(explicit: String?, environment: [String: String], from directory: String? = nil,
                              logger: Logger = discardingLogger,
                              clock: any WallClock = SystemWallClock()) throws(CairnError) -> Store {
        let store = try find(explicit: explicit, environment: environment, from: directory, logger: logger, clock: clock)
        if let database = environment[IndexDatabase.environmentVariable], !database.isEmpty {
            try store.useIndexDatabase(database, poolSize: store.settings.indexPool, environment: environment)
        } else if let database = store.settings.indexDatabase {
            try store.useIndexDatabase(database, poolSize: store.settings.indexPool, environment: environment)
        }
        return store
    }

    private static func find(explicit: String?, environment: [String: String], from directory: String?,
                             logger: Logger, clock: any WallClock) throws(CairnError) -> Store {
        if let explicit, !explicit.isEmpty { return try open(at: explicit, logger: logger, clock: clock) }
        if let env = environment[environmentVariable], !env.isEmpty { return try open(at: env, logger: logger, clock: clock) }
        let start = Paths.absolute(directory ?? ".")
        var dir = start
        while true {
            if FileSystem.exists(Paths.join(dir, StoreSettings.fileName)) { return try open(at: dir, logger: logger, clock: clock) }
            let parent = Paths.parent(dir)
            if parent == dir || dir == "/" { break }
            dir = parent
        }
        throw CairnError(.storeNotFound, "no Cairn store found in '\(start)' or any folder above it",
                         hint: "run 'cairn init' to create one here, or pass --store DIR or set \(environmentVariable)")
    }

    /// Creates a store at `root` (the folder is created if needed) and returns it.
    /// - Parameters:
    ///   - root: the store's root folder, absolute or relative to the current directory.
    ///   - layoutName: the layout for new experiments and runs; a built-in one (`cairn layout ls`); a
    ///     user-defined layout is chosen afterwards by editing `layout:` in `cairn.yaml`.
    ///   - logger: where the store reports the faults it survives (``logger``); nothing by default.
    ///   - clock: where the times the store records come from (``clock``); the system's by default.
    /// - Returns: the new store, opened.
    /// - Throws: `CairnError` of kind `.alreadyExists` if `root` already holds a store; `.layout` for
    ///   an unknown layout; `.conflict` when `root` is a file; `.permissionDenied` or `.io` when the
    ///   folder cannot be created or written.
    public static func initialize(at root: String, layoutName: String = BuiltinLayouts.cairn.name,
                                  logger: Logger = discardingLogger,
                                  clock: any WallClock = SystemWallClock()) throws(CairnError) -> Store {
        let absolute = Paths.absolute(root)
        guard BuiltinLayouts.named(layoutName) != nil else {
            throw CairnError(.layout, "unknown layout '\(layoutName)'",
                             hint: "use one of: " + BuiltinLayouts.all.map(\.name).joined(separator: ", "))
        }
        let file = Paths.join(absolute, StoreSettings.fileName)
        if FileSystem.exists(file) {
            throw CairnError(.alreadyExists, "'\(absolute)' is already a Cairn store", hint: "use it as it is")
        }
        if FileSystem.exists(absolute) {
            guard FileSystem.isDirectory(absolute) else {
                throw CairnError(.conflict, "'\(absolute)' exists and is not a folder", hint: "choose another path")
            }
            try FileSystem.checkWritable(absolute)
        } else {
            try FileSystem.makeDirectories(Paths.parent(absolute))
            try FileSystem.checkWritable(Paths.parent(absolute))
            try FileSystem.makeDirectories(absolute)
        }
        let settings = StoreSettings(layoutName: layoutName)
        try FileSystem.makeDirectories(Paths.join(absolute, ".cairn/experiments"))
        try FileSystem.makeDirectories(Paths.join(absolute, ".cairn/runs"))
        // cairn.yaml last: a store exists only once it is complete.
        try AtomicFile.create(Array(settings.yaml.utf8), at: file)
        return try open(at: absolute, logger: logger, clock: clock)
    }

    // MARK: Cairn's own folders

    var metaRoot: String { Paths.join(root, ".cairn") }
    var experimentsRoot: String { Paths.join(metaRoot, "experiments") }
    var runsMetaRoot: String { Paths.join(metaRoot, "runs") }
    var storeLockPath: String { Paths.join(metaRoot, "store.lock") }

    func experimentMetaFolder(_ id: ExperimentID) -> String { Paths.join(experimentsRoot, id.description) }
    func runMetaFolder(_ id: RunID) -> String { Paths.join(runsMetaRoot, id.value) }

    /// The absolute path of a path relative to the tree's root (the store root unless the store
    /// describes a tree elsewhere).
    /// - Parameter relative: a path relative to ``treeRoot`` (a run's ``Run/folder``, say).
    /// - Returns: the path joined to ``treeRoot``.
    public func absolute(_ relative: String) -> String { Paths.join(treeRoot, relative) }

    /// The modes of the checkpoints this store holds (`file_mode` in `cairn.yaml`, else the umask's);
    /// worked out when a save needs them.
    var fileModes: FileModes { FileModes(setting: settings.fileMode) }

    /// The absolute path of `cairn.yaml`.
    public var settingsPath: String { Paths.join(root, StoreSettings.fileName) }

    /// Fails with a clear error if the store cannot be written (read-only mount, permissions),
    /// before a command changes anything.
    func checkWritable() throws(CairnError) {
        try FileSystem.checkWritable(metaRoot)
        try FileSystem.checkWritable(treeRoot)
    }
}
