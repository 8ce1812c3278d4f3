/// Where the path, sha256 and metrics of checkpoint entries are kept in packed form (a manifest snapshot's
/// bytes) and decoded only when read.
///
/// Loading a manifest of 100,000 checkpoints then allocates no string and no dictionary per entry:
/// retention planning reads one metric per entry with ``metric(_:at:)``, and the few entries a command
/// shows decode their texts on access. An implementation is immutable, and each slot was checked when the
/// entries were made, so reads cannot fail.
public protocol PackedCheckpointTexts: AnyObject, Sendable {
    /// The path of the entry at `slot`.
    func path(at slot: Int) -> String
    /// The sha256 of the entry at `slot` (lowercase hex, or empty).
    func sha256(at slot: Int) -> String
    /// Every metric of the entry at `slot`.
    func metrics(at slot: Int) -> [String: Double]
    /// One metric of the entry at `slot`, nil when the entry has none of that name.
    func metric(_ name: String, at slot: Int) -> Double?
}
