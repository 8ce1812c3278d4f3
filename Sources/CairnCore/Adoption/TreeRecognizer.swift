/// Explains a tree's files with a layout: finds the run folders the `run` template matches, and gives
/// each file inside one the role whose template matches the rest of its path (or, for folder
/// checkpoints, the folder that holds it). Pure: it sees only paths.
///
/// A file's run folder is the shortest prefix of its path that the `run` template matches and under
/// which some role explains the rest; a file under no run folder, or that no role explains, is
/// listed as unexplained, never dropped.
public enum TreeRecognizer {
    /// The roles tried on a path inside a run folder, in order: fixed names before patterns,
    /// checkpoints before other files.
    static let fileRoles: [LayoutRole] = [.best, .last, .bestScore, .average, .checkpoint, .events, .metrics, .config,
                                          .log, .embeddings, .predictions, .runRecord, .params, .tags, .gitDiff,
                                          .checkpointManifest, .artifact]
    /// The roles that may name a folder whose files all belong to it (folder checkpoints).
    static let folderRoles: [LayoutRole] = [.best, .last, .bestScore, .average, .checkpoint]

    /// Explains `paths` (files, relative to the tree's root) with `layout`.
    /// - Parameter fileFields: false to leave each file's ``RecognizedFile/fields`` empty (its role and
    ///   item are found all the same, faster): what adopting needs, since it reads a checkpoint's epoch
    ///   and step only when it builds the run's manifest.
    public static func recognize(_ paths: [String], layout: Layout, fileFields: Bool = true) -> TreeRecognition {
        var recognizer = Session(layout: layout, fileFields: fileFields)
        var state = PreparedPath.State()
        for path in PreparedPath.prepare(paths, state: &state) { recognizer.place(path) }
        return recognizer.result()
    }

    /// How many of `paths` each layout explains, best first (ties keep the given order).
    public static func rank(_ paths: [String], layouts: [Layout], fileFields: Bool = true) -> [TreeRecognition] {
        layouts.map { recognize(paths, layout: $0, fileFields: fileFields) }.enumerated().sorted { a, b in
            a.element.explainedCount != b.element.explainedCount ? a.element.explainedCount > b.element.explainedCount : a.offset < b.offset
        }.map(\.element)
    }

    /// A recognition fed a tree's files as they are found (``place(_:)``), then finished (``result()``):
    /// ``recognize(_:layout:fileFields:)`` in steps. Files of one folder should come together.
    public struct Session: Sendable {
        let layout: Layout
        let fileFields: Bool
        /// The layout's file templates, in ``TreeRecognizer/fileRoles`` order, and their roles (two
        /// arrays: reading a template out of an array of pairs copied, and retained, the pair).
        let fileTemplates: [PathTemplate]
        let fileTemplateRoles: [LayoutRole]
        let folderTemplates: [(LayoutRole, PathTemplate)]
        var runPrefixes: [String: LayoutFields?] = [:]
        var runs: [RecognizedRun] = []
        var runIndex: [String: Int] = [:]
        var unexplained: [String] = []
        /// The run candidates of the last directory seen (files arrive grouped by folder), each with its
        /// run's index in `runs` once it has a file.
        var lastDirectoryID = 0
        /// How many files the layout explains so far.
        public private(set) var explainedCount = 0
        var lastCandidates: [(folder: String, fields: LayoutFields, run: Int?)] = []
        /// For each of `lastCandidates`, the folder checkpoint of the current directory once looked up
        /// (`.some(nil)`: none).
        var folderItems: [FolderItem??] = []

        /// A folder checkpoint: the folder (inside its run folder), the folder role that explains it, and
        /// its fields.
        struct FolderItem: Sendable {
            let role: LayoutRole
            let folder: String
            let fields: LayoutFields
        }

        /// A recognition with `layout` (see ``TreeRecognizer/recognize(_:layout:fileFields:)``).
        public init(layout: Layout, fileFields: Bool = true) {
            self.layout = layout
            self.fileFields = fileFields
            let files = TreeRecognizer.fileRoles.compactMap { role in layout.template(role).map { (role, $0) } }
            fileTemplates = files.map(\.1)
            fileTemplateRoles = files.map(\.0)
            folderTemplates = TreeRecognizer.folderRoles.compactMap { role in layout.template(role).map { (role, $0) } }
        }

        /// Explains one more file, or lists it as unexplained.
        public mutating func place(_ prepared: PreparedPath) {
            let path = prepared.path, directory = prepared.directory
            if prepared.directoryID != lastDirectoryID {
                lastDirectoryID = prepared.directoryID
                lastCandidates = candidates(directory)
                folderItems = Array(repeating: nil, count: lastCandidates.count)
            }
            // A valid path has valid parts: checked once, not for each candidate and template.
            let valid = prepared.valid
            for position in lastCandidates.indices {
                let folder = lastCandidates[position].folder
                // The path inside the candidate run folder, and its folder part: no copy until it is explained.
                let restStart = path.utf8.index(path.utf8.startIndex, offsetBy: folder.utf8.count + 1)
                let rest = path[restStart...]
                let file: RecognizedFile
                if let (role, fields) = classifyFile(rest, valid: valid || PathTemplate.isValidPath(rest)) {
                    let text = String(rest)
                    file = RecognizedFile(path: text, role: role, fields: fields, item: text)
                } else if directory.utf8.count > folder.utf8.count,
                          let item = folderItem(position, inside: directory[restStart...]) {
                    file = RecognizedFile(path: String(rest), role: item.role, fields: item.fields, item: item.folder)
                } else {
                    continue
                }
                let run = lastCandidates[position].run ?? makeRun(folder, fields: lastCandidates[position].fields)
                lastCandidates[position].run = run
                runs[run].files.append(file)
                explainedCount += 1
                return
            }
            unexplained.append(path)
        }

        /// The folder checkpoint a file of the current directory belongs to, for the candidate at
        /// `position`: the shortest folder of `folders` (the directory inside the run folder) that a folder
        /// role's template matches. The same for every file of the directory, so found once.
        mutating func folderItem(_ position: Int, inside folders: Substring) -> FolderItem? {
            if let known = folderItems[position] { return known }
            var found: FolderItem?
            var index = folders.startIndex
            search: while true {
                let end = folders[index...].firstIndex(of: "/") ?? folders.endIndex
                let folder = folders[..<end]
                for (role, template) in folderTemplates {
                    if let fields = match(template, folder) {
                        found = FolderItem(role: role, folder: String(folder), fields: fields)
                        break search
                    }
                }
                if end == folders.endIndex { break }
                index = folders.index(after: end)
            }
            folderItems[position] = .some(found)
            return found
        }

        /// The index of the run in `folder`, added on its first file.
        mutating func makeRun(_ folder: String, fields: LayoutFields) -> Int {
            if let known = runIndex[folder] { return known }
            // Fields that cannot render the name (one missing): the folder names the experiment instead.
            let name = (try? layout.render(.experimentName, fields)) ?? folder
            runs.append(RecognizedRun(folder: folder, fields: fields, experimentName: name, files: []))
            runIndex[folder] = runs.count - 1
            return runs.count - 1
        }

        /// The prefixes of a directory (itself included) that the run template matches, shortest first.
        mutating func candidates(_ directory: Substring) -> [(folder: String, fields: LayoutFields, run: Int?)] {
            guard !directory.isEmpty else { return [] }
            var out: [(folder: String, fields: LayoutFields, run: Int?)] = []
            var index = directory.startIndex
            while true {
                let end = directory[index...].firstIndex(of: "/") ?? directory.endIndex
                let prefix = String(directory[..<end])
                let fields: LayoutFields?
                if let cached = runPrefixes[prefix] {
                    fields = cached
                } else {
                    fields = layout.match(.run, prefix)
                    runPrefixes[prefix] = .some(fields)
                }
                if let fields { out.append((prefix, fields, runIndex[prefix])) }
                if end == directory.endIndex { break }
                index = directory.index(after: end)
            }
            return out
        }

        /// The fields of `path` if `template` matches it (empty ones without `fileFields`), else nil.
        func match(_ template: PathTemplate, _ path: Substring) -> LayoutFields? {
            fileFields ? template.match(path) : template.match(path).map { _ in LayoutFields() }
        }

        /// The file role whose template matches the whole path inside a run folder, with its fields.
        /// `valid`: every component of `rest` is valid (a path with an invalid one matches no file
        /// template, though its folders may still be folder checkpoints).
        func classifyFile(_ rest: Substring, valid: Bool) -> (LayoutRole, LayoutFields)? {
            guard valid else { return nil }
            // Through a buffer: iterating the array copied each template (a retain of each of its parts),
            // 14 templates for each file and candidate folder.
            var rest = rest
            return rest.withUTF8 { bytes in
                fileTemplates.withUnsafeBufferPointer { templates -> (LayoutRole, LayoutFields)? in
                    for index in templates.indices {
                        if let fields = templates[index].match(checkedBytes: bytes, fields: fileFields) {
                            return (fileTemplateRoles[index], fields)
                        }
                    }
                    return nil
                }
            }
        }

        /// What the files placed so far make. An unexplained file inside a run folder is also that
        /// run's extra (the innermost run folder holding it).
        public func result() -> TreeRecognition {
            var runs = runs
            for path in unexplained {
                var end = path.utf8.endIndex
                while let slash = path.utf8[..<end].lastIndex(of: UInt8(ascii: "/")) {
                    end = slash
                    let folder = String(path[..<slash])
                    if let run = runIndex[folder] {
                        runs[run].extras.append(String(path[path.utf8.index(after: slash)...]))
                        break
                    }
                }
            }
            for index in runs.indices where !runs[index].extras.isEmpty { runs[index].extras.sort() }
            return TreeRecognition(layout: layout.name, runs: runs.sorted { $0.folder < $1.folder },
                                   unexplained: unexplained.sorted())
        }
    }
}
