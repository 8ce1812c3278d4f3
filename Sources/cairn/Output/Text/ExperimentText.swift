import CairnCore
import CairnKit

/// Experiments as text.
enum ExperimentText {
    /// `ID EXPERIMENT RUNS CREATED`, and `FROM` (the experiment each continues from) when any has one.
    static func table(_ experiments: [CairnAPI.Experiment]) -> String {
        if experiments.isEmpty { return "No experiments yet. Create one with 'cairn exp new NAME' or 'cairn exec -e NAME -- COMMAND'." }
        let linked = experiments.contains { $0.parentExperimentID != nil }
        let names = Dictionary(experiments.map { ($0.id, $0.name.description) }, uniquingKeysWith: { a, _ in a })
        var table = linked ? Table("ID", "EXPERIMENT", "RUNS", "CREATED", "FROM") : Table("ID", "EXPERIMENT", "RUNS", "CREATED")
        for e in experiments {
            var row = [e.id.description, e.name.description, String(e.runs), Formatting.time(e.createdAt)]
            if linked { row.append(e.parentExperimentID.map { id in names[id].map { "\($0) (id \(id))" } ?? "id \(id)" } ?? "-") }
            table.add(row)
        }
        return table.text
    }
}
