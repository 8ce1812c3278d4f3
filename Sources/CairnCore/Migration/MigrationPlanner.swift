/// Plans moving a tree from its layout to another. Each file a role of the source layout explains gets
/// the path the target layout gives the same role with the same fields (renamed by a ``FieldMapping``,
/// completed from what the store knows of the run: its id, experiment, start time, and the extension
/// of the file); a file that was moved out of the target layout before goes back where it was. Files
/// the target has no other name for (a role it lacks, a stray note, a second log it cannot tell apart)
/// move with their run to its `extra` place. Symbolic links are rewritten to name the same file at
/// its new place. Pure: it sees only the recognition, the layouts and what ``MigrationContext`` says.
public enum MigrationPlanner {
    /// Roles whose files a migration must name: one it cannot name stops the migration (a log it cannot
    /// name becomes an extra instead).
    static let checkpointRoles: Set<LayoutRole> = [.checkpoint, .best, .last, .bestScore, .average]

    /// Plans the migration.
    /// - Parameters:
    ///   - recognition: the tree as the source layout explains it.
    ///   - source: the layout the tree follows.
    ///   - target: the layout to move to.
    ///   - mapping: field renames and the shared vocabulary.
    ///   - context: fields, origins, links and contents the store knows.
    ///   - existing: every file of the tree (to find targets that are taken).
    public static func plan(_ recognition: TreeRecognition, from source: Layout, to target: Layout, mapping: FieldMapping,
                            context: MigrationContext = MigrationContext(), existing: Set<String>) -> MigrationPlan {
        var builder = MigrationPlanBuilder(source: source, target: target, mapping: mapping, context: context, existing: existing)
        for run in recognition.runs { builder.placeRoleFiles(run) }
        builder.findTargetRunFolders(recognition.runs)
        for run in recognition.runs { builder.placeExtras(run) }
        builder.checkTakenTargets()
        builder.rewriteLinks()
        return builder.plan(recognition)
    }
}
