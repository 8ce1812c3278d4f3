/// An experiment's stable id, independent of its name (renaming keeps it; the MLflow API uses it).
///
/// Ids are decimal numbers allocated in order (`1`, `2`, …) under the store's lock, so they read like
/// MLflow's experiment ids.
public struct ExperimentID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let value: Int

    public init(_ value: Int) { self.value = value }

    /// Parses the decimal text form.
    public init?(text: String) {
        guard let v = Int(text), v >= 0, String(v) == text else { return nil }
        value = v
    }

    public var description: String { String(value) }
    public static func < (lhs: ExperimentID, rhs: ExperimentID) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // A number, else a string (whose errors are thrown below).
        if let number = try? container.decode(Int.self) {
            value = number
        } else {
            let text = try container.decode(String.self)
            guard let id = ExperimentID(text: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an experiment id: \(text)")
            }
            self = id
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
