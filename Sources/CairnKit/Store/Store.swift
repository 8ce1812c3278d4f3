#if !os(Linux)
#error("Cairn builds on Linux only; see README")
#endif
import Glibc
import CairnCore

/// A Cairn store: a folder marked by `cairn.yaml`, holding experiments and runs in the folders its
/// layout names, with Cairn's own records under `.cairn/`.
///
/// `Store` is a value: open it once per command. Every method reads from disk, so two processes
/// working on one store see each other's changes; every write is atomic.
public struct Store: Sendable {
    /// The absolute path of the store's root folder (where `cairn.yaml` and `.cairn/` are).
    public let root: String
    public let settings: StoreSettings
    /// The layout in force for new experiments and runs.
    public let layout: Layout
    /// The absolute path of the folder the layout's paths are relative to: the root, or the tree an
    /// adopted store describes from elsewhere (`tree:` in `cairn.yaml`).
    public let treeRoot: String

    /// The records `cairn adopt` wrote for the runs it found (`.cairn/adopted.pack`), in an adopted store.
    let adoptedPack: AdoptedPack?

    init(root: String, settings: StoreSettings, layout: Layout, adoptedPack: AdoptedPack? = nil) {
        self.root = root
        self.settings = settings
        self.layout = layout
        self.adoptedPack = adoptedPack
        if let tree = settings.tree {
            treeRoot = Paths.normalize(tree.hasPrefix("/") ? tree : Paths.join(root, tree))
        } else {
            treeRoot = root
        }
    }

    /// The environment variable that names a store.
    public static let environmentVariable = "CAIRN_STORE"

    /// Opens the store whose root is `root`.
    /// - Throws: ``CairnError/Kind/storeNotFound`` when `root` has no `cairn.yaml`;
    ///   ``CairnError/Kind/unsupportedFormat`` for a newer format.
    public static func open(at root: String) throws(CairnError) -> Store {
        let absolute = Paths.normalize(root.hasPrefix("/") ? root : Paths.join(currentDirectory(), root))
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
        return Store(root: absolute, settings: settings, layout: layout, adoptedPack: pack)
    }

    /// An adoption killed after it wrote `cairn.yaml` but before it removed its `adopt-incomplete`
    /// marker may have left the temporary of `cairn.yaml` beside it: the first open afterwards removes
    /// both (best effort: a read-only store is left as it is).
    private static func finishInterruptedAdoption(_ root: String) {
        let marker = Paths.join(root, ".cairn/" + adoptIncompleteMarker)
        guard FileSystem.exists(marker) else { return }
        AbandonedTemporaries.remove(in: root)
        FileSystem.remove(marker)
    }

    /// Finds the store for a command, as git finds a repository: an explicit `--store` first, then
    /// `$CAIRN_STORE`, then the nearest folder holding `cairn.yaml` from `directory` upwards.
    public static func locate(explicit: String?, environment: [String: String],
                              from directory: String? = nil) throws(CairnError) -> Store {
        if let explicit, !explicit.isEmpty { return try open(at: explicit) }
        if let env = environment[environmentVariable], !env.isEmpty { return try open(at: env) }
        let start = Paths.normalize(directory ?? currentDirectory())
        var dir = start
        while true {
            if FileSystem.exists(Paths.join(dir, StoreSettings.fileName)) { return try open(at: dir) }
            let parent = Paths.parent(dir)
            if parent == dir || dir == "/" { break }
            dir = parent
        }
        throw CairnError(.storeNotFound, "no Cairn store found in '\(start)' or any folder above it",
                         hint: "run 'cairn init' to create one here, or pass --store DIR or set \(environmentVariable)")
    }

    /// Creates a store at `root` (the folder is created if needed) and returns it.
    /// - Parameter layoutName: the layout for new experiments and runs; a built-in one (`cairn layout ls`); a user-defined layout is chosen afterwards by editing `layout:` in `cairn.yaml`.
    /// - Throws: ``CairnError/Kind/alreadyExists`` if `root` already holds a store.
    public static func initialize(at root: String, layoutName: String = BuiltinLayouts.cairn.name) throws(CairnError) -> Store {
        let absolute = Paths.normalize(root.hasPrefix("/") ? root : Paths.join(currentDirectory(), root))
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
        return try open(at: absolute)
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
    public func absolute(_ relative: String) -> String { Paths.join(treeRoot, relative) }

    /// The absolute path of `cairn.yaml`.
    public var settingsPath: String { Paths.join(root, StoreSettings.fileName) }

    /// Fails with a clear error if the store cannot be written (read-only mount, permissions),
    /// before a command changes anything.
    func checkWritable() throws(CairnError) {
        try FileSystem.checkWritable(metaRoot)
        try FileSystem.checkWritable(treeRoot)
    }

    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
