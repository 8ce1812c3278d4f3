import CairnCore

/// What `cairn migrate` planned and did: returned by ``Store/migrate(to:mapping:dryRun:progress:)``,
/// ``Store/resumeMigration(progress:)`` and ``Store/rollbackMigration(progress:)``;
/// ``CairnAPI/Migration`` is its answer.
public struct MigrationReport: Sendable {
    /// The plan (for a resume or rollback: the journal's moves).
    public var plan: MigrationPlan
    /// How many files moved (back, for a rollback).
    public var moved: Int
    /// Whether files were moved; false for a dry run or a plan with problems.
    public var executed: Bool
    /// The values in runs' configs that name moved files.
    public var configReferences: [ConfigReference] = []
    /// Whether those configs were rewritten (`--rewrite-configs`).
    public var configsRewritten = false
}
