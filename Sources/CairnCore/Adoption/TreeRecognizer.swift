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
                                          .log, .embeddings, .predictions, .toolRecord, .toolMetrics, .runRecord, .params, .tags, .gitDiff,
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
        return recognizer.result(paths: paths)
    }

    /// How many of `paths` each layout explains, best first (ties keep the given order).
    public static func rank(_ paths: [String], layouts: [Layout], fileFields: Bool = true) -> [TreeRecognition] {
        layouts.map { recognize(paths, layout: $0, fileFields: fileFields) }.enumerated().sorted { a, b in
            a.element.explainedCount != b.element.explainedCount ? a.element.explainedCount > b.element.explainedCount : a.offset < b.offset
        }.map(\.element)
    }

    /// A recognition fed a tree's files as they are found (``place(_:)``), then finished
    /// (``result(paths:)``): ``recognize(_:layout:fileFields:)`` in steps. Files of one folder should
    /// come together.
    ///
    /// The work per file is kept to what cannot be done once per folder: the run folders a file may be
    /// in, and which templates could match inside each, are worked out when its folder is first seen;
    /// a file's bytes are read in place, and nothing is copied or retained until it is explained.
    public struct Session: Sendable {
        let layout: Layout
        let fileFields: Bool
        /// The layout's file templates, in ``TreeRecognizer/fileRoles`` order, and their roles (two
        /// arrays: reading a template out of an array of pairs copied, and retained, the pair).
        let fileTemplates: [PathTemplate]
        let fileTemplateRoles: [LayoutRole]
        let filter: FileTemplateFilter
        let folderTemplates: [(LayoutRole, PathTemplate)]
        var runPrefixes: [String: LayoutFields?] = [:]
        var runs: [RecognizedRun] = []
        var runIndex: [String: Int] = [:]
        /// The files no role explains, by their number in the order placed.
        var unexplained: [Int] = []
        var placedCount = 0
        /// The run candidates of the last directory seen (files arrive grouped by folder), each with its
        /// run's index in `runs` once it has a file.
        var lastDirectoryID = 0
        /// How many files the layout explains so far.
        public private(set) var explainedCount = 0
        var lastCandidates: [(folder: String, fields: LayoutFields, run: Int?)] = []
        /// For each of `lastCandidates`: its folder's length in bytes, and the file templates that may
        /// match a file of the current directory inside it (a bit each).
        var candidateLengths: [Int] = []
        var candidateTemplates: [UInt64] = []
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
            filter = FileTemplateFilter(fileTemplates)
            folderTemplates = TreeRecognizer.folderRoles.compactMap { role in layout.template(role).map { (role, $0) } }
        }

        /// Explains one more file, or lists it as unexplained.
        public mutating func place(_ prepared: PreparedPath) {
            let ordinal = placedCount
            placedCount += 1
            if prepared.directoryID != lastDirectoryID { enter(prepared) }
            if lastCandidates.isEmpty {
                unexplained.append(ordinal)
                return
            }
            let explained = PathBytes.with(prepared.path) { bytes in place(bytes, prepared) }
            if explained {
                explainedCount += 1
            } else {
                unexplained.append(ordinal)
            }
        }

        /// Starts the folder of `prepared`: its run candidates, and what may match inside each.
        mutating func enter(_ prepared: PreparedPath) {
            lastDirectoryID = prepared.directoryID
            let directory = prepared.directory
            lastCandidates = candidates(directory)
            folderItems = Array(repeating: nil, count: lastCandidates.count)
            candidateLengths = lastCandidates.map(\.folder.utf8.count)
            let filter = filter
            candidateTemplates = PathBytes.with(prepared.path) { bytes in
                candidateLengths.map { length in
                    let folders = length < prepared.directoryLength
                        ? UnsafeBufferPointer(rebasing: bytes[(length + 1)..<prepared.directoryLength])
                        : UnsafeBufferPointer(rebasing: bytes[0..<0])
                    return filter.candidates(inside: folders)
                }
            }
        }

        /// Explains the file whose path is `bytes` with the current folder's candidates: true if explained.
        mutating func place(_ bytes: UnsafeBufferPointer<UInt8>, _ prepared: PreparedPath) -> Bool {
            for position in lastCandidates.indices {
                let folderLength = candidateLengths[position]
                // The path inside the candidate run folder: no copy until it is explained.
                let rest = UnsafeBufferPointer(rebasing: bytes[(folderLength + 1)...])
                let file: RecognizedFile
                let templates = candidateTemplates[position]
                if templates != 0, prepared.valid || ComponentCheck.isValidPath(rest, 0, rest.count),
                   let (role, fields) = classifyFile(rest, templates: templates) {
                    let text = String(decoding: rest, as: UTF8.self)
                    file = RecognizedFile(path: text, role: role, fields: fields, item: text)
                } else if prepared.directoryLength > folderLength, let item = folderItem(position, prepared) {
                    file = RecognizedFile(path: String(decoding: rest, as: UTF8.self), role: item.role, fields: item.fields, item: item.folder)
                } else {
                    continue
                }
                let run = lastCandidates[position].run ?? makeRun(lastCandidates[position].folder, fields: lastCandidates[position].fields)
                lastCandidates[position].run = run
                runs[run].files.append(file)
                return true
            }
            return false
        }

        /// The folder checkpoint a file of the current directory belongs to, for the candidate at
        /// `position`: the shortest folder of the directory inside the run folder that a folder role's
        /// template matches. The same for every file of the directory, so found once.
        mutating func folderItem(_ position: Int, _ prepared: PreparedPath) -> FolderItem? {
            if let known = folderItems[position] { return known }
            let directory = prepared.directory
            let folders = directory[directory.utf8.index(directory.startIndex, offsetBy: candidateLengths[position] + 1)...]
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
            // Fields that cannot render the name (one missing): the experiment's id names it when the
            // folder gives one (MLflow's file store; its tool reads the name), else the folder does.
            let name = (try? layout.render(.experimentName, fields)) ?? fields["experiment_id"]?.intValue.map(String.init) ?? folder
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
                    // A hidden folder (`.trash/`, `.git/`) is no experiment, whatever the template says.
                    fields = layout.match(.run, prefix).flatMap { match in
                        match["experiment"]?.stringValue?.split(separator: "/").contains { $0.hasPrefix(".") } == true ? nil : match
                    }
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

        /// The file role whose template matches the whole path inside a run folder, with its fields:
        /// of `templates` (a bit each), those whose head and tail agree with the path are matched, in order.
        func classifyFile(_ rest: UnsafeBufferPointer<UInt8>, templates mask: UInt64) -> (LayoutRole, LayoutFields)? {
            filter.limits.withUnsafeBufferPointer { limits in
                filter.bytes.withUnsafeBufferPointer { filterBytes in
                    // Through a buffer: iterating the array copied each template (a retain of each of its parts).
                    fileTemplates.withUnsafeBufferPointer { templates -> (LayoutRole, LayoutFields)? in
                        var remaining = mask
                        while remaining != 0 {
                            let index = remaining.trailingZeroBitCount
                            remaining &= remaining - 1
                            guard FileTemplateFilter.mayMatch(limits[index], filterBytes, rest) else { continue }
                            if let fields = templates[index].match(checkedBytes: rest, fields: fileFields) {
                                return (fileTemplateRoles[index], fields)
                            }
                        }
                        return nil
                    }
                }
            }
        }

        /// What the files placed so far make. An unexplained file inside a run folder is also that
        /// run's extra (the innermost run folder holding it).
        /// - Parameter paths: every path placed, in the order placed.
        public func result(paths: [String]) -> TreeRecognition {
            var runs = runs
            let unexplained = unexplained.map { paths[$0] }
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
