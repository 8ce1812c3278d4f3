/// Plans moving a tree from its layout to another: every file a role of the source layout explains
/// gets the path the target layout gives the same role with the same fields (renamed by a
/// ``FieldMapping``). Pure: it sees only the recognition, the layouts and the existing paths.
public enum MigrationPlanner {
    /// Plans the migration.
    /// - Parameters:
    ///   - recognition: the tree as the source layout explains it.
    ///   - target: the layout to move to.
    ///   - mapping: field renames and the shared vocabulary.
    ///   - itemFields: fields read from inside folder checkpoints, by run folder + "/" + item.
    ///   - existing: every file of the tree (to find targets that are taken).
    public static func plan(_ recognition: TreeRecognition, to target: Layout, mapping: FieldMapping,
                            itemFields: [String: LayoutFields] = [:], existing: Set<String>) -> MigrationPlan {
        var moves: [MigrationMove] = []
        var problems: [String] = []
        var unchanged = 0
        var sourcesByTarget: [String: String] = [:]
        for run in recognition.runs {
            for file in run.files {
                let source = run.folder + "/" + file.path
                var fields = run.fields.merging(file.fields)
                if let extra = itemFields[run.folder + "/" + file.item] { fields = extra.merging(fields) }
                guard let itemTemplate = target.template(file.role), let runTemplate = target.template(.run) else {
                    problems.append("\(source): the layout '\(target.name)' has no place for a '\(file.role.rawValue)' file")
                    continue
                }
                let wanted = runTemplate.fieldNames + itemTemplate.fieldNames
                let mapped = mapping.apply(fields, targetNames: wanted)
                let folder: String, item: String
                do throws(CairnError) {
                    folder = try runTemplate.render(mapped)
                    item = try itemTemplate.render(mapped)
                } catch {
                    problems.append("\(source): cannot be named in the layout '\(target.name)': \(error.message)"
                                    + " (map a field with --map SOURCE=TARGET)")
                    continue
                }
                let member = file.isInFolderItem ? String(decoding: file.path.utf8.dropFirst(file.item.utf8.count), as: UTF8.self) : ""
                let destination = folder + "/" + item + member
                if let other = sourcesByTarget[destination] {
                    problems.append("\(source) and \(other) would both become \(destination)")
                    continue
                }
                sourcesByTarget[destination] = source
                if destination == source { unchanged += 1; continue }
                moves.append(MigrationMove(source: source, target: destination))
            }
        }
        let sources = Set(moves.map(\.source))
        for move in moves where existing.contains(move.target) && !sources.contains(move.target) {
            problems.append("\(move.target) exists already (it would receive \(move.source))")
        }
        for move in moves where sources.contains(move.target) {
            problems.append("\(move.source) would move onto \(move.target), which itself moves: migrate in two steps")
        }
        return MigrationPlan(from: recognition.layout, to: target.name, moves: moves.sorted { $0.source < $1.source },
                             unchanged: unchanged, problems: problems, leftInPlace: recognition.unexplained)
    }
}
