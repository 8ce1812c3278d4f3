import CairnCore
import Logging

extension Store {
    /// The store as Cairn answers it (`cairn init --json`).
    public var info: CairnAPI.Store {
        CairnAPI.Store(root: root, tree: treeRoot, layout: layout.name, format: settings.format.description, adopted: settings.adopted)
    }

    /// The layouts the store knows (built in, then those of `cairn.yaml`), the one in force marked.
    public var layouts: [CairnAPI.Layout] {
        settings.allLayouts.map { CairnAPI.Layout($0, inUse: $0.name == layout.name) }
    }

    /// One of the store's layouts by name (`cairn layout show`).
    /// - Parameter name: a built-in layout's name or one defined in `cairn.yaml`.
    /// - Returns: the layout, marked if it is the one in force.
    /// - Throws: `CairnError` of kind `.notFound` for an unknown name.
    public func layoutInfo(named name: String) throws(CairnError) -> CairnAPI.Layout {
        guard let found = settings.layout(named: name) else {
            throw CairnError(.notFound, "no layout named '\(name)' in the store '\(root)'", hint: "'cairn layout ls' lists them")
        }
        return CairnAPI.Layout(found, inUse: found.name == layout.name)
    }

    /// The built-in layouts, for use outside any store.
    public static var builtinLayouts: [CairnAPI.Layout] {
        BuiltinLayouts.all.map { CairnAPI.Layout($0, inUse: false) }
    }
}

extension Store {
    /// The store a command would use (``locate(explicit:environment:from:logger:clock:)``), or nil when
    /// there is none; any other fault (a broken `cairn.yaml`, a newer format) is thrown, never taken for
    /// "no store".
    /// - Parameters:
    ///   - explicit: the store the caller named (`--store`), if any.
    ///   - environment: the environment to read `CAIRN_STORE` from.
    ///   - directory: where the upward search starts; the current directory by default.
    ///   - logger: where the store reports the faults it survives (``logger``); nothing by default.
    ///   - clock: where the times the store records come from (``clock``); the system's by default.
    /// - Returns: the store found, or nil.
    /// - Throws: what ``open(at:logger:clock:)`` throws for the store found, except `.storeNotFound`.
    public static func locateIfPresent(explicit: String?, environment: [String: String], from directory: String? = nil,
                                       logger: Logger = discardingLogger,
                                       clock: any WallClock = SystemWallClock()) throws(CairnError) -> Store? {
        do {
            return try locate(explicit: explicit, environment: environment, from: directory, logger: logger, clock: clock)
        } catch where error.kind == .storeNotFound {
            return nil
        }
    }
}
