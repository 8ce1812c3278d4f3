/// One file a migration moves, both paths relative to the tree's root.
public struct MigrationMove: Sendable, Hashable, Codable {
    public var source: String
    public var target: String

    public init(source: String, target: String) {
        self.source = source
        self.target = target
    }
}
