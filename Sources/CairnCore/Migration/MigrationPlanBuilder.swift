/// The state of one ``MigrationPlanner/plan(_:from:to:mapping:context:existing:)``: the files placed so
/// far, the problems found, the extras waiting for their run's place.
struct MigrationPlanBuilder {
    let source: Layout
    let target: Layout
    let mapping: FieldMapping
    let context: MigrationContext
    let existing: Set<String>
    /// Every placed file's destination (its own path when it stays), by source path.
    var destinations: [String: String] = [:]
    /// The source of each destination taken.
    var sourcesByTarget: [String: String] = [:]
    /// Files of each run to place as extras once the run's place is known: source path and path in the run folder.
    var deferred: [String: [(source: String, relative: String)]] = [:]
    /// The destinations of each run's role files, by source run folder.
    var roleDestinations: [String: [String]] = [:]
    var runFolders: [String: String] = [:]
    var problems: [MigrationProblem] = []
    var extras: [String] = []
    var leftInPlace: [String] = []
    var linkMoves: [MigrationMove] = []
    /// The content check of each item already checked, by its source path.
    var checkedItems: [String: MigrationProblem?] = [:]

    /// The fields the source layout reads per file: from its file templates and content fields.
    let sourceFileFields: Set<String>

    init(source: Layout, target: Layout, mapping: FieldMapping, context: MigrationContext, existing: Set<String>) {
        var fileFields = Set(source.contentFields.map(\.field))
        for (role, template) in source.templates where role.isRelativeToRunFolder { fileFields.formUnion(template.fieldNames) }
        sourceFileFields = fileFields
        self.source = source
        self.target = target
        self.mapping = mapping
        self.context = context
        self.existing = existing
    }

    /// Places the files the source layout gives a role: at their origin, or named by the target.
    mutating func placeRoleFiles(_ run: RecognizedRun) {
        let known = knownFields(run)
        for file in run.files.sorted(by: { $0.path < $1.path }) {
            let path = run.folder + "/" + file.path
            if let origin = context.origins[path] {
                if claim(path, origin) { roleDestinations[run.folder, default: []].append(origin) }
                continue
            }
            let mustName = MigrationPlanner.checkpointRoles.contains(file.role)
            guard let itemTemplate = target.template(file.role), let runTemplate = target.template(.run) else {
                deferred[run.folder, default: []].append((path, file.path))
                continue
            }
            var fields = run.fields.merging(file.fields)
            if let read = context.itemFields[run.folder + "/" + file.item] { fields = read.merging(fields) }
            // What the store knows comes before the vocabulary's guesses (a run's id, not an event
            // file's `version`; its start, not an event file's `time`), after what the paths say.
            for (name, value) in known.values where fields[name] == nil { fields[name] = value }
            let wanted = runTemplate.fieldNames + itemTemplate.fieldNames
            var mapped = mapping.apply(fields, targetNames: wanted)
            if wanted.contains("ext"), mapped["ext"] == nil {
                mapped["ext"] = .string(file.isInFolderItem ? "" : ContentKind.fileExtension(of: file.item))
            }
            // The file's own fields name it first: a console log stays `console_TIME.txt` though its
            // run's start time would also give a `log_START.txt` name.
            var own = file.fields
            if let read = context.itemFields[run.folder + "/" + file.item] { own = read.merging(own) }
            if let ext = mapped["ext"], own["ext"] == nil { own["ext"] = ext }
            let ownItem = try? itemTemplate.render(mapping.apply(own, targetNames: itemTemplate.fieldNames))
            let folder: String, item: String
            do throws(CairnError) {
                if let kept = Self.keptFolder(run.folder, runTemplate, mapped) { folder = kept } else { folder = try runTemplate.render(mapped) }
                if let ownItem { item = ownItem } else { item = try itemTemplate.render(mapped) }
            } catch {
                if mustName {
                    problems.append(MigrationProblem(cause: unnamedCause(file, run: run, templates: [runTemplate, itemTemplate],
                                                                         fields: mapped, error: error), path: path))
                } else {
                    deferred[run.folder, default: []].append((path, file.path))
                }
                continue
            }
            let member = file.isInFolderItem ? String(decoding: file.path.utf8.dropFirst(file.item.utf8.count), as: UTF8.self) : ""
            let destination = folder + "/" + item + member
            if let problem = contentProblem(file, run: run, item: item) {
                problems.append(MigrationProblem(cause: problem.cause, path: path, detail: problem.detail))
                continue
            }
            if sourcesByTarget[destination] != nil, !mustName {
                // A second log or config the target cannot tell apart from the first: an extra.
                deferred[run.folder, default: []].append((path, file.path))
                continue
            }
            if claim(path, destination) { roleDestinations[run.folder, default: []].append(destination) }
        }
    }

    /// The fields the store knows of a run (its id, experiment, start time…) and those the target's
    /// experiment name template reads from its experiment's name, except fields the source layout
    /// gives each file (the typed folders' old flat form names each checkpoint's model type: one that
    /// does not say it has none, whatever its experiment is called).
    func knownFields(_ run: RecognizedRun) -> LayoutFields {
        var known = context.runFields[run.folder] ?? LayoutFields()
        if let parsed = target.match(.experimentName, run.experimentName) {
            for (name, value) in parsed.values where known[name] == nil && !sourceFileFields.contains(name) { known[name] = value }
        }
        if known["experiment"] == nil { known["experiment"] = .string(run.experimentName) }
        return known
    }

    /// Takes `destination` for `path`; false (with a problem) when another file has it.
    mutating func claim(_ path: String, _ destination: String) -> Bool {
        if let other = sourcesByTarget[destination] {
            problems.append(MigrationProblem(cause: "two files would get the same path in the layout '\(target.name)' (tell them apart with --map SOURCE=TARGET, or migrate to a layout that names them)",
                                             path: path, detail: "\(other) and \(path) would both become \(destination)"))
            return false
        }
        sourcesByTarget[destination] = path
        destinations[path] = destination
        return true
    }

    /// Why a file the target must name cannot be named: the missing field and, where the source layout
    /// reads it from a file, what is wrong with that file.
    func unnamedCause(_ file: RecognizedFile, run: RecognizedRun, templates: [PathTemplate], fields: LayoutFields,
                      error: CairnError) -> String {
        let missing = templates.flatMap(\.requiredFieldNames).first { fields[$0] == nil }
        guard let missing else {
            return "the layout '\(target.name)' cannot name a '\(file.role.rawValue)' file: \(error.message)"
        }
        let what = "the layout '\(target.name)' names a '\(file.role.rawValue)' by its '\(missing)'"
        if file.isInFolderItem || source.contentFields.contains(where: { $0.field == missing }),
           let why = context.missingFieldCause(run.folder + "/" + file.item, missing) {
            return "\(what), and \(why)"
        }
        return "\(what), which the layout '\(source.name)' does not give (give it with --map SOURCE=\(missing))"
    }

    /// A problem when the target would give a file an extension that says it holds something else.
    mutating func contentProblem(_ file: RecognizedFile, run: RecognizedRun, item: String) -> (cause: String, detail: String)? {
        let key = run.folder + "/" + file.item
        if let known = checkedItems[key] { return known.map { ($0.cause, $0.detail ?? key) } }
        var found: MigrationProblem?
        let from = file.isInFolderItem ? "" : ContentKind.fileExtension(of: file.item)
        let to = ContentKind.fileExtension(of: item)
        if from.lowercased() != to.lowercased(), let expected = ContentKind.expected(forExtension: to) {
            let kind = file.isInFolderItem ? ContentKind.folder : context.contentKind(key)
            if !expected.contains(kind) {
                found = MigrationProblem(cause: "the layout '\(target.name)' would give \(kind) a '\(to)' name, which says it holds \(expected.map(\.description).sorted().joined(separator: " or ")): a migration never changes what a file is",
                                         path: key, detail: "\(key) (\(kind)) would become \(TreePath.lastComponent(item))")
            }
        }
        checkedItems[key] = .some(found)
        return found.map { ($0.cause, $0.detail ?? key) }
    }

    /// Each run's place in the target layout: the run folder the target finds its role files in, when
    /// they all land in one.
    /// The run folder itself when the target's run template already reads it with the fields the run
    /// has (a Hydra sweep's `multirun/DATE/TIME/N/`, which the template's first alternative, a single
    /// run's `outputs/DATE/TIME/`, would otherwise rename): a run where the target can read it stays.
    /// Times are not compared: a folder's time is to the second, or the sweep's, where the store knows
    /// the run's start to the millisecond.
    static func keptFolder(_ folder: String, _ template: PathTemplate, _ fields: LayoutFields) -> String? {
        guard let here = template.match(folder) else { return nil }
        for (name, value) in here.values {
            switch value {
            case .time, .partialTime: continue
            default: if let known = fields[name], known != value { return nil }
            }
        }
        return folder
    }

    mutating func findTargetRunFolders(_ runs: [RecognizedRun]) {
        let placed = Array(Set(roleDestinations.values.joined()))
        let recognized = TreeRecognizer.recognize(placed, layout: target, fileFields: false)
        var folderOf: [String: String] = [:]
        for run in recognized.runs {
            for file in run.files { folderOf[run.folder + "/" + file.path] = run.folder }
        }
        for run in runs {
            let folders = Set((roleDestinations[run.folder] ?? []).compactMap { folderOf[$0] })
            if folders.count == 1 { runFolders[run.folder] = folders.first! }
        }
    }

    /// Places a run's extras (files no role explains, and those the target has no name for) in the
    /// target's `extra` place inside the run's new folder; without one they stay where they are.
    mutating func placeExtras(_ run: RecognizedRun) {
        let candidates = (deferred[run.folder] ?? []) + run.extras.map { (source: run.folder + "/" + $0, relative: $0) }
        for candidate in candidates.sorted(by: { $0.source < $1.source }) {
            let destination: String
            if let origin = context.origins[candidate.source] {
                destination = origin
            } else if let folder = runFolders[run.folder] {
                let path = source.match(.extra, candidate.relative)?["path"]?.stringValue ?? candidate.relative
                guard let rendered = try? target.render(.extra, ["path": .string(path)]) else {
                    leftInPlace.append(candidate.source)
                    continue
                }
                destination = folder + "/" + rendered
            } else {
                leftInPlace.append(candidate.source)
                continue
            }
            // An extra never stops a migration: one whose place is taken stays where it is.
            if destination != candidate.source && (sourcesByTarget[destination] != nil || existing.contains(destination)) {
                leftInPlace.append(candidate.source)
                continue
            }
            if claim(candidate.source, destination), destination != candidate.source { extras.append(candidate.source) }
        }
    }

    /// Problems for targets that exist already or that themselves move.
    mutating func checkTakenTargets() {
        for (path, destination) in destinations where destination != path {
            if destinations[destination].map({ $0 != destination }) == true {
                problems.append(MigrationProblem(cause: "a file would move onto one that itself moves: migrate in two steps, through another layout",
                                                 path: path, detail: "\(path) would move onto \(destination), which itself moves"))
            } else if existing.contains(destination) && destinations[destination] == nil {
                problems.append(MigrationProblem(cause: "the target path exists already (move that file away first)",
                                                 path: path, detail: "\(destination) exists already (it would receive \(path))"))
            }
        }
    }

    /// Rewrites every relative link that moves, or whose target moves, to name the same file at its
    /// new place.
    mutating func rewriteLinks() {
        var folders: (targets: [String: String], files: [String: [String]], movesInto: [String: Int])?
        for (path, link) in context.links {
            guard let linked = link.target else { continue }
            let newPath = destinations[path] ?? path
            var newTarget = destinations[linked] ?? linked
            if destinations[linked] == nil {
                // A link to a folder: the folder's new place when it moves whole.
                if folders == nil {
                    let moved = destinations.filter { $0.key != $0.value }
                    folders = (moved, WholeFolderMoves.byFolder(Array(existing)), WholeFolderMoves.byFolder(Array(moved.values)).mapValues(\.count))
                }
                if let whole = WholeFolderMoves.target(linked, targets: folders!.targets, filesByFolder: folders!.files,
                                                       movesInto: folders!.movesInto) { newTarget = whole }
            }
            guard newPath != path || newTarget != linked else { continue }
            let text = TreePath.relative(from: TreePath.parent(newPath), to: newTarget)
            guard text != link.text else { continue }
            linkMoves.append(MigrationMove(source: path, target: newPath, link: .init(from: link.text, to: text)))
        }
    }

    /// The plan.
    func plan(_ recognition: TreeRecognition) -> MigrationPlan {
        var moves: [String: MigrationMove] = [:]
        var unchanged = 0
        for (path, destination) in destinations {
            if path == destination { unchanged += 1 } else { moves[path] = MigrationMove(source: path, target: destination) }
        }
        for move in linkMoves {
            if move.source == move.target {
                unchanged -= destinations[move.source] == move.source ? 1 : 0
                moves[move.source] = move
            } else {
                moves[move.source]?.link = move.link
            }
        }
        let extraSet = Set(extras)
        let placed = Set(destinations.keys)
        var left = Set(leftInPlace)
        for path in recognition.unexplained where !placed.contains(path) && !extraSet.contains(path) { left.insert(path) }
        return MigrationPlan(from: recognition.layout, to: target.name, moves: moves.values.sorted { $0.source < $1.source },
                             unchanged: unchanged, problems: problems, extras: extras.sorted(), leftInPlace: left.sorted(),
                             runFolders: runFolders)
    }
}
