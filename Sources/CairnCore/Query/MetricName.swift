/// The name a query gives a metric: a key of the `train` split by itself (`loss`), a key of any other
/// split as `SPLIT/KEY` (`eval/loss`).
///
/// These are the names MLflow clients log and read through `cairn serve`, so a filter means the same
/// metric whichever way the run was written. A name never changes meaning between runs: it is compared
/// with each run's metric names as text.
public enum MetricName {
    /// The split whose keys stand alone.
    public static let defaultSplit = "train"

    /// The name of `key` in `split`.
    public static func of(split: String, key: String) -> String {
        split == defaultSplit ? key : split + "/" + key
    }
}
