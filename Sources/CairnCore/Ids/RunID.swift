/// A run's id: unique in its store, sortable by creation time, readable by a person.
///
/// Cairn generates ids as `YYYYMMDD-HHMMSS-mmm-rrrr`: the UTC creation time to the millisecond,
/// then four random characters from a 32-letter alphabet without look-alikes. Runs adopted from
/// other conventions keep the id their path gives them, so any valid name component is accepted.
public struct RunID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let value: String

    /// The alphabet of the random part: digits and lower-case letters without i, l, o, u.
    public static let randomAlphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    /// Wraps an existing id, checking that it can name a folder.
    public init(_ value: String) throws(CairnError) {
        try NameComponent.validate(Substring(value), what: "run id", whole: value)
        self.value = value
    }

    private init(unchecked value: String) { self.value = value }

    /// A new id for a run created at `time`.
    /// - Parameters:
    ///   - time: the creation time.
    ///   - random: the source of the random suffix.
    public static func generate(at time: Timestamp, using random: inout some RandomNumberGenerator) -> RunID {
        let fields = time.utcFields
        func two(_ v: Int) -> String { String(v).leftPadded(to: 2) }
        var suffix = ""
        for _ in 0..<4 { suffix.append(randomAlphabet[Int(random.next() % UInt64(randomAlphabet.count))]) }
        let text = String(fields.year).leftPadded(to: 4) + two(fields.month) + two(fields.day) + "-"
            + two(fields.hour) + two(fields.minute) + two(fields.second) + "-"
            + String(fields.millisecond).leftPadded(to: 3) + "-" + suffix
        return RunID(unchecked: text)
    }

    /// True if `text` could be the start of a run id (used to tell prefixes from other words).
    public static func isPlausiblePrefix(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= NameComponent.maxBytes && !text.contains("/")
            && !text.unicodeScalars.contains(where: NameComponent.isControl)
    }

    public var description: String { value }
    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
