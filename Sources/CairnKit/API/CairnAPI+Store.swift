import CairnCore

extension CairnAPI {
    /// A store: where it is and how it names things (`cairn init --json`).
    public struct Store: Codable, Sendable, Equatable {
        /// The store's root folder (holding `cairn.yaml` and `.cairn/`), absolute.
        public var root: String
        /// The folder the layout's paths are relative to: the root, or an adopted tree elsewhere.
        public var tree: String
        /// The name of the layout in force.
        public var layout: String
        /// The on-disk format version (`1.0`).
        public var format: String
        /// True for a store made by `cairn adopt`.
        public var adopted: Bool

        /// A store's description (``CairnKit/Store/info`` builds it for an open store).
        /// - Parameters:
        ///   - root: the store's root folder, absolute.
        ///   - tree: the folder the layout's paths are relative to, absolute.
        ///   - layout: the name of the layout in force.
        ///   - format: the on-disk format version.
        ///   - adopted: whether `cairn adopt` made the store.
        public init(root: String, tree: String, layout: String, format: String, adopted: Bool) {
            self.root = root
            self.tree = tree
            self.layout = layout
            self.format = format
            self.adopted = adopted
        }
    }
}
