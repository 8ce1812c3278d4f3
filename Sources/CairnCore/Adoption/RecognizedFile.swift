/// One file of a tree that a layout explains: what it is and what its path says.
public struct RecognizedFile: Sendable, Equatable {
    /// The file's path, relative to its run folder.
    public var path: String
    /// The role whose template matched (`checkpoint`, `best`, `metrics`, …).
    public var role: LayoutRole
    /// The fields the role's template recovered from the path (not the run's).
    public var fields: LayoutFields
    /// What the role's template matched, relative to the run folder: the file itself, or the folder
    /// checkpoint that holds it.
    public var item: String

    public init(path: String, role: LayoutRole, fields: LayoutFields, item: String) {
        self.path = path
        self.role = role
        self.fields = fields
        self.item = item
    }

    /// True when the file belongs to a folder checkpoint (`item` is the folder).
    public var isInFolderItem: Bool { path != item }
}
