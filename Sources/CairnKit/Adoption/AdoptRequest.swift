/// What `cairn adopt` is asked to do.
public struct AdoptRequest: Sendable {
    /// The root of the existing tree.
    public var tree: String
    /// The layout to read it with; nil (or `auto`) tries every built-in layout and takes the one that
    /// explains most files.
    public var layout: String?
    /// A YAML file defining the layout to read it with (see ``LayoutFile``); wins over ``layout``. The
    /// adopted store's `cairn.yaml` defines that layout, so every later command knows it.
    public var layoutFile: String?
    /// Where to put the store (`cairn.yaml` and `.cairn/`); nil for the tree's root itself.
    public var storeRoot: String?
    /// Only report what would be adopted; write nothing.
    public var dryRun: Bool

    /// A request to adopt a tree.
    /// - Parameters:
    ///   - tree: the root of the existing tree.
    ///   - layout: the layout to read it with, or nil to try every built-in layout.
    ///   - storeRoot: where to put the store, or nil for the tree's root.
    ///   - dryRun: only report what would be adopted.
    ///   - layoutFile: a YAML file defining the layout to read the tree with, instead of `layout`.
    public init(tree: String, layout: String? = nil, storeRoot: String? = nil, dryRun: Bool = false, layoutFile: String? = nil) {
        self.tree = tree
        self.layout = layout
        self.layoutFile = layoutFile
        self.storeRoot = storeRoot
        self.dryRun = dryRun
    }
}
