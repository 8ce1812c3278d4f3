/// The fields of a path: name → value. What ``PathTemplate/render(_:)`` takes and ``PathTemplate/match(_:)`` gives.
///
/// Write them as a dictionary literal: `["arch": "resnet18", "epoch": 3, "score": .float(0.831, text: "0.8310")]`.
public struct LayoutFields: Hashable, Sendable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// The values by field name.
    public var values: [String: FieldValue]

    public init(_ values: [String: FieldValue] = [:]) { self.values = values }

    public init(dictionaryLiteral elements: (String, FieldValue)...) {
        values = [:]
        for (name, value) in elements { values[name] = value }
    }

    /// The value of a field, or nil; setting nil removes the field.
    public subscript(name: String) -> FieldValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// These fields with those of `other` added; where both have a field, `other`'s value wins.
    public func merging(_ other: LayoutFields) -> LayoutFields {
        LayoutFields(values.merging(other.values) { _, new in new })
    }

    /// The field names, sorted.
    public var names: [String] { values.keys.sorted() }

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }

    /// `name=value` pairs sorted by name, e.g. `arch='resnet18', epoch=3`.
    public var description: String {
        names.map { "\($0)=\(values[$0]!)" }.joined(separator: ", ")
    }
}
