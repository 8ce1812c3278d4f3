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
    public static func recognize(_ paths: [String], layout: Layout) -> TreeRecognition {
        var recognizer = Recognizer(layout: layout)
        for path in paths { recognizer.place(path) }
        return recognizer.result()
    }

    /// How many of `paths` each layout explains, best first (ties keep the given order).
    public static func rank(_ paths: [String], layouts: [Layout]) -> [TreeRecognition] {
        let all = layouts.map { recognize(paths, layout: $0) }
        return all.enumerated().sorted { a, b in
            a.element.explainedCount != b.element.explainedCount ? a.element.explainedCount > b.element.explainedCount : a.offset < b.offset
        }.map(\.element)
    }

    private struct Recognizer {
        let layout: Layout
        let fileTemplates: [(LayoutRole, PathTemplate)]
        let folderTemplates: [(LayoutRole, PathTemplate)]
        var runPrefixes: [String: LayoutFields?] = [:]
        var runs: [String: RecognizedRun] = [:]
        var unexplained: [String] = []
        /// The run candidates of the last directory seen (files arrive grouped by folder).
        var lastDirectory: Substring?
        var lastCandidates: [(folder: String, fields: LayoutFields)] = []

        init(layout: Layout) {
            self.layout = layout
            fileTemplates = TreeRecognizer.fileRoles.compactMap { role in layout.template(role).map { (role, $0) } }
            folderTemplates = TreeRecognizer.folderRoles.compactMap { role in layout.template(role).map { (role, $0) } }
        }

        mutating func place(_ path: String) {
            // The folder part, found on the UTF-8 view (Character search is several times slower).
            let directory: Substring = path.utf8.lastIndex(of: UInt8(ascii: "/")).map { path[..<$0] } ?? ""
            if directory != lastDirectory {
                lastDirectory = directory
                lastCandidates = candidates(directory)
            }
            for candidate in lastCandidates {
                let rest = String(decoding: path.utf8.dropFirst(candidate.folder.utf8.count + 1), as: UTF8.self)
                if let file = classify(rest) {
                    if runs[candidate.folder] == nil {
                        let name = (try? layout.render(.experimentName, candidate.fields)) ?? candidate.folder
                        runs[candidate.folder] = RecognizedRun(folder: candidate.folder, fields: candidate.fields,
                                                               experimentName: name, files: [])
                    }
                    runs[candidate.folder]!.files.append(file)
                    return
                }
            }
            unexplained.append(path)
        }

        /// The prefixes of a directory (itself included) that the run template matches, shortest first.
        mutating func candidates(_ directory: Substring) -> [(folder: String, fields: LayoutFields)] {
            guard !directory.isEmpty else { return [] }
            var out: [(folder: String, fields: LayoutFields)] = []
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
                if let fields { out.append((prefix, fields)) }
                if end == directory.endIndex { break }
                index = directory.index(after: end)
            }
            return out
        }

        /// The role of a path inside a run folder: a template matching the whole path, else a folder
        /// role matching one of its parent folders (shortest first).
        func classify(_ rest: String) -> RecognizedFile? {
            for (role, template) in fileTemplates {
                if let fields = template.match(rest) { return RecognizedFile(path: rest, role: role, fields: fields, item: rest) }
            }
            var index = rest.startIndex
            while let slash = rest[index...].firstIndex(of: "/") {
                let folder = String(rest[..<slash])
                for (role, template) in folderTemplates {
                    if let fields = template.match(folder) {
                        return RecognizedFile(path: rest, role: role, fields: fields, item: folder)
                    }
                }
                index = rest.index(after: slash)
            }
            return nil
        }

        func result() -> TreeRecognition {
            TreeRecognition(layout: layout.name, runs: runs.values.sorted { $0.folder < $1.folder },
                            unexplained: unexplained.sorted())
        }
    }
}
