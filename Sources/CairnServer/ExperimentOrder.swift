import CairnCore

/// The `order_by` of MLflow's experiment search: `name`, `experiment_id`, `creation_time` or
/// `last_update_time`, each `ASC` or `DESC`; by default newest first, as MLflow orders them.
struct ExperimentOrder {
    private var keys: [(key: String, ascending: Bool)] = []

    init(parsing terms: [String]) throws(MLflowError) {
        for term in terms.isEmpty ? ["creation_time DESC", "experiment_id ASC"] : terms {
            let words = term.split(whereSeparator: { $0 == " " || $0 == "\t" })
            var key = words.first.map(String.init) ?? ""
            for prefix in ["attribute.", "attributes."] where key.hasPrefix(prefix) { key.removeFirst(prefix.count) }
            guard ["name", "experiment_id", "creation_time", "last_update_time"].contains(key), words.count <= 2 else {
                throw MLflowError(.invalidParameterValue, "Invalid order_by clause '\(term)': order by name, experiment_id, creation_time or last_update_time, ASC or DESC")
            }
            let direction = words.count == 2 ? words[1].uppercased() : "ASC"
            guard direction == "ASC" || direction == "DESC" else {
                throw MLflowError(.invalidParameterValue, "Invalid order_by clause '\(term)': expected ASC or DESC after '\(key)'")
            }
            keys.append((key, direction == "ASC"))
        }
        if !keys.contains(where: { $0.key == "experiment_id" }) { keys.append(("experiment_id", false)) }
    }

    func sorted(_ experiments: [ExperimentRecord]) -> [ExperimentRecord] {
        experiments.sorted { a, b in
            for (key, ascending) in keys {
                let order: Int
                switch key {
                case "name": order = a.name.description < b.name.description ? -1 : (a.name.description == b.name.description ? 0 : 1)
                case "experiment_id": order = a.id.value < b.id.value ? -1 : (a.id == b.id ? 0 : 1)
                default: order = a.createdAt < b.createdAt ? -1 : (a.createdAt == b.createdAt ? 0 : 1)
                }
                if order != 0 { return ascending ? order < 0 : order > 0 }
            }
            return false
        }
    }
}
