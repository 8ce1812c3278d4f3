/// A run folder a layout found in a tree, with the files it explains there.
public struct RecognizedRun: Sendable, Equatable {
    /// The run folder, relative to the tree's root.
    public var folder: String
    /// The fields the `run` template recovered from the folder.
    public var fields: LayoutFields
    /// The experiment's name, rendered by the layout's `experiment_name` template from those fields.
    public var experimentName: String
    /// The files inside the run folder that the layout explains, by path.
    public var files: [RecognizedFile]
    /// The files inside the run folder (and in no run folder nested in it) that no role explains, by
    /// path relative to the run folder, sorted: they are also in ``TreeRecognition/unexplained``, and a
    /// migration moves them with the run (the ``LayoutRole/extra`` role).
    public var extras: [String]

    public init(folder: String, fields: LayoutFields, experimentName: String, files: [RecognizedFile], extras: [String] = []) {
        self.folder = folder
        self.fields = fields
        self.experimentName = experimentName
        self.files = files
        self.extras = extras
    }

    /// The distinct items (checkpoint files and folders, logs, metrics…) of one role, by item path.
    public func items(_ role: LayoutRole) -> [String: [RecognizedFile]] {
        Dictionary(grouping: files.filter { $0.role == role }, by: \.item)
    }
}
