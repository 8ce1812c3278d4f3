import CairnCore

/// Where an MLflow metric key lands in Cairn: `S/K` with `S` one of `eval`, `val`, `valid`,
/// `validation` or `test` goes to split `S`, key `K`; any other key goes unchanged to split `train`.
/// Read back, a point is named by ``CairnCore/MetricName`` (`K` in `train`, `S/K` elsewhere): the same
/// key the client logged, and the name the index's filters use.
struct MLflowMetricKey: Equatable {
    /// The splits a key's first component selects.
    static let splits: Set<String> = ["eval", "val", "valid", "validation", "test"]

    let split: String
    let key: String

    init(_ mlflowKey: String) {
        if let slash = mlflowKey.firstIndex(of: "/") {
            let head = String(mlflowKey[..<slash])
            let rest = String(mlflowKey[mlflowKey.index(after: slash)...])
            if Self.splits.contains(head), !rest.isEmpty {
                split = head
                key = rest
                return
            }
        }
        split = MetricName.defaultSplit
        key = mlflowKey
    }

    /// The key as MLflow reads it back.
    var name: String { MetricName.of(split: split, key: key) }
}
