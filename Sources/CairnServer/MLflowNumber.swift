/// An int64 field of MLflow's JSON: a number, or a string of digits (protobuf's JSON form).
struct MLflowInt64: Decodable, Sendable {
    let value: Int64

    init(_ value: Int64) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int64.self) {
            value = number
        } else if let text = try? container.decode(String.self), let number = Int64(text) {
            value = number
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an integer (int64)")
        }
    }
}

/// A double field of MLflow's JSON: a number, or `"NaN"`, `"Infinity"`, `"-Infinity"` (or any number as
/// text, as protobuf's JSON form allows).
struct MLflowDouble: Decodable, Sendable {
    let value: Double

    init(_ value: Double) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number
            return
        }
        guard let text = try? container.decode(String.self) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a number")
        }
        switch text {
        case "NaN", "nan": value = .nan
        case "Infinity", "inf": value = .infinity
        case "-Infinity", "-inf": value = -.infinity
        default:
            guard let number = Double(text), number.isFinite else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a number, not \"\(text)\"")
            }
            value = number
        }
    }
}
