import ArgumentParser
import CairnCore
import CairnKit

/// `--role ROLE`, `--split SPLIT` and `--field KEY=VALUE`: the place a run's layout names for an artifact.
struct ArtifactPlaceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where the run's layout places the file: embeddings or predictions (with the role's fields).", valueName: "role"),
            completion: .list(Store.artifactRoles.map(\.rawValue)))
    var role: String?
    @Option(help: "The split the file is for (the layout field {split}), with --role.") var split: String?
    @Option(name: .customLong("field"), help: ArgumentHelp("Another field of the role's place: KEY=VALUE. Repeatable.", valueName: "KEY=VALUE"))
    var fields: [Assignment] = []

    /// Refuses fields without a role, and an unknown role.
    func validate() throws {
        if role == nil && (split != nil || !fields.isEmpty) { throw ValidationError("--split and --field name a role's place: give --role too") }
        if let role, LayoutRole(rawValue: role).map(Store.artifactRoles.contains) != true {
            throw ValidationError("--role must be one of \(Store.artifactRoles.map(\.rawValue).joined(separator: ", ")), not '\(role)'")
        }
    }

    /// The role, when given.
    var layoutRole: LayoutRole? { role.flatMap(LayoutRole.init(rawValue:)) }

    /// The role's fields.
    var fieldValues: [String: String] {
        var values: [String: String] = [:]
        for field in fields { values[field.key] = field.value }
        if let split { values["split"] = split }
        return values
    }

    /// The place the role names for the run when a role is given, else `path` inside `artifacts/`.
    func location(in store: Store, of run: Run, path: String) throws(CairnError) -> ArtifactLocation {
        guard let role = layoutRole else { return ArtifactLocation(try ArtifactPath(path)) }
        return try store.artifactLocation(of: run, role: role, fields: fieldValues)
    }
}
