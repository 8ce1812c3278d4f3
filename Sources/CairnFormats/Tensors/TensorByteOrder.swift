/// The byte order of a tensor file's elements.
public enum TensorByteOrder: String, Sendable, Codable {
    case little, big
    /// One-byte elements (npy's `|`).
    case notApplicable = "not-applicable"
}
