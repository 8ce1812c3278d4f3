/// One file a migration moves, both paths relative to the tree's root. A symbolic link that moves, or
/// whose target moves, also gets its text rewritten so that it names the same file at its new place
/// (``link``); such a link that stays where it is has `source == target`.
public struct MigrationMove: Sendable, Hashable, Codable {
    public var source: String
    public var target: String
    /// The link's text before and after, for a symbolic link the migration rewrites.
    public var link: LinkRewrite?

    public init(source: String, target: String, link: LinkRewrite? = nil) {
        self.source = source
        self.target = target
        self.link = link
    }

    /// The move that undoes this one.
    public var reversed: MigrationMove {
        MigrationMove(source: target, target: source, link: link.map { LinkRewrite(from: $0.to, to: $0.from) })
    }

    /// A symbolic link's text before and after a migration.
    public struct LinkRewrite: Sendable, Hashable, Codable {
        public var from: String
        public var to: String

        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }
}
