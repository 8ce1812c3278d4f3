import CairnCore
import CairnKit

/// Experiments as text.
enum ExperimentText {
    /// `ID EXPERIMENT RUNS CREATED`.
    static func table(_ experiments: [CairnAPI.Experiment]) -> String {
        if experiments.isEmpty { return "No experiments yet. Create one with 'cairn exp new NAME' or 'cairn exec -e NAME -- COMMAND'." }
        var table = Table("ID", "EXPERIMENT", "RUNS", "CREATED")
        for e in experiments { table.add([e.id.description, e.name.description, String(e.runs), Formatting.time(e.createdAt)]) }
        return table.text
    }
}
