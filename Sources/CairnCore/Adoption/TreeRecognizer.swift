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
        for path in paths { recognizer.place(path) }
        return recognizer.result()
    }

    /// How many of `paths` each layout explains, best first (ties keep the given order).
    public static func rank(_ paths: [String], layouts: [Layout], fileFields: Bool = true) -> [TreeRecognition] {
        ranked(layouts.map { recognize(paths, layout: $0, fileFields: fileFields) })
    }

    /// Recognitions by how many files they explain, best first (ties keep the given order).
    public static func ranked(_ all: [TreeRecognition]) -> [TreeRecognition] {
        all.enumerated().sorted { a, b in
            a.element.explainedCount != b.element.explainedCount ? a.element.explainedCount > b.element.explainedCount : a.offset < b.offset
        }.map(\.element)
    }

    /// A recognition fed a tree's files as they are found (``place(_:)``), then finished (``result()``):
    /// ``recognize(_:layout:fileFields:)`` in steps. Files of one folder should come together.
    public struct Session: Sendable {
        let layout: Layout
        let fileFields: Bool
        let fileTemplates: [(LayoutRole, PathTemplate)]
        let folderTemplates: [(LayoutRole, PathTemplate)]
        var runPrefixes: [String: LayoutFields?] = [:]
        var runs: [RecognizedRun] = []
        var runIndex: [String: Int] = [:]
        var unexplained: [String] = []
        /// The run candidates of the last directory seen (files arrive grouped by folder), each with its
        /// run's index in `runs` once it has a file.
        var lastDirectory: Substring?
        var lastCandidates: [(folder: String, fields: LayoutFields, run: Int?)] = []

        /// A recognition with `layout` (see ``TreeRecognizer/recognize(_:layout:fileFields:)``).
        public init(layout: Layout, fileFields: Bool = true) {
            self.layout = layout
            self.fileFields = fileFields
            fileTemplates = TreeRecognizer.fileRoles.compactMap { role in layout.template(role).map { (role, $0) } }
            folderTemplates = TreeRecognizer.folderRoles.compactMap { role in layout.template(role).map { (role, $0) } }
        }

        /// Explains one more file (relative to the tree's root), or lists it as unexplained.
        public mutating func place(_ path: String) {
            // The folder part, found on the UTF-8 view (Character search is several times slower).
            let directory: Substring = path.utf8.lastIndex(of: UInt8(ascii: "/")).map { path[..<$0] } ?? ""
            if directory != lastDirectory {
                lastDirectory = directory
                lastCandidates = candidates(directory)
            }
            for position in lastCandidates.indices {
                let folder = lastCandidates[position].folder
                let rest = String(decoding: path.utf8.dropFirst(folder.utf8.count + 1), as: UTF8.self)
                guard let file = classify(rest) else { continue }
                let run = lastCandidates[position].run ?? makeRun(folder, fields: lastCandidates[position].fields)
                lastCandidates[position].run = run
                runs[run].files.append(file)
                return
            }
            unexplained.append(path)
        }

        /// The index of the run in `folder`, added on its first file.
        mutating func makeRun(_ folder: String, fields: LayoutFields) -> Int {
            if let known = runIndex[folder] { return known }
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
        /// `checked`: every component of `path` is known to be valid.
        func match(_ template: PathTemplate, _ path: String, checked: Bool) -> LayoutFields? {
            if fileFields { return template.match(path) }
            return (checked ? template.matches(checkedPath: path) : template.matches(path)) ? LayoutFields() : nil
        }

        /// The role of a path inside a run folder: a template matching the whole path, else a folder
        /// role matching one of its parent folders (shortest first).
        func classify(_ rest: String) -> RecognizedFile? {
            // Checked once here rather than by each template tried (a path with an invalid component
            // matches no file template; its folders may still be folder checkpoints).
            let valid = PathTemplate.isValidPath(rest)
            if valid {
                for (role, template) in fileTemplates {
                    if let fields = match(template, rest, checked: true) {
                        return RecognizedFile(path: rest, role: role, fields: fields, item: rest)
                    }
                }
            }
            var index = rest.startIndex
            while let slash = rest[index...].firstIndex(of: "/") {
                let folder = String(rest[..<slash])
                for (role, template) in folderTemplates {
                    if let fields = match(template, folder, checked: valid) {
                        return RecognizedFile(path: rest, role: role, fields: fields, item: folder)
                    }
                }
                index = rest.index(after: slash)
            }
            return nil
        }

        /// What the files placed so far make.
        public func result() -> TreeRecognition {
            TreeRecognition(layout: layout.name, runs: runs.sorted { $0.folder < $1.folder },
                            unexplained: unexplained.sorted())
        }
    }
}
