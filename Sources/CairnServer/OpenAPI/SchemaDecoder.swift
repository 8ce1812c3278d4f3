import CairnCore
import CairnKit
import Foundation

/// Derives a Decodable type's JSON schema by decoding it from nothing: a `Decoder` that answers every
/// request with a placeholder and notes what was asked — which keys, of which types, which optional.
/// Types that read a string and check it (ids, names, times, statuses) are answered from a table of
/// valid samples with their schema (``leaf(_:)``); a dictionary or an array gives its element's schema
/// through ``SchemaElement``. So the document follows the types' own `Codable` code, and a field added
/// to a response type shows up in the next generated document.
final class SchemaDecoder: Decoder {
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]
    /// What was asked so far.
    var schema: JSONSchema = .any
    /// Named schemas met on the way (CairnAPI types), shared by every decoder of one generation.
    let components: SchemaComponents

    init(components: SchemaComponents) { self.components = components }

    /// A value of `type` and its schema; a named CairnAPI type becomes a reference to its component.
    static func decode<T: Decodable>(_ type: T.Type, components: SchemaComponents) throws -> (T?, JSONSchema) {
        // Containers first: a dynamic cast would also take an optional for its wrapped type.
        if let element = type as? any SchemaElement.Type { return (element.empty as? T, element.schema(components)) }
        if let (value, schema) = leaf(type) { return (value as? T, schema) }
        if let name = components.name(of: type), let known = components.schemas[name] {
            _ = known
            return (components.samples[name] as? T, .reference(name))
        }
        let decoder = SchemaDecoder(components: components)
        var value: T?
        do { value = try T(from: decoder) } catch { value = nil }
        if let name = components.name(of: type) {
            components.schemas[name] = decoder.schema
            components.samples[name] = value
            return (value, .reference(name))
        }
        return (value, decoder.schema)
    }

    /// Types decoded from one checked string or number, with a valid sample and their schema.
    static func leaf(_ type: Any.Type) -> (Any, JSONSchema)? {
        switch type {
        case is String.Type: return ("text", .string(format: nil))
        case is Bool.Type: return (true, .boolean)
        case is Double.Type: return (1.5, .number)
        case is Float.Type: return (Float(1.5), .number)
        case is Int.Type: return (1, .integer(format: "int64"))
        case is Int64.Type: return (Int64(1), .integer(format: "int64"))
        case is UInt64.Type: return (UInt64(1), .integer(format: "int64"))
        case is Int32.Type: return (Int32(1), .integer(format: "int32"))
        case is RunID.Type: return (try! RunID("20261123-034011-482-k3f9"), .string(format: "cairn-run-id"))
        case is ExperimentID.Type: return (ExperimentID(1), .string(format: "cairn-experiment-id"))
        case is ExperimentName.Type: return (try! ExperimentName("vae/baseline"), .string(format: nil))
        case is Timestamp.Type: return (Timestamp(millisecondsSinceEpoch: 0), .string(format: "date-time"))
        case is RunStatus.Type: return (RunStatus.running, .enumeration(RunStatus.allCases.map(\.rawValue)))
        case is RunLiveness.Type: return (RunLiveness.ended, .enumeration(["alive", "owner-dead", "unknown", "ended"]))
        case is ConfigValue.Type: return (ConfigValue.string("x"), .any)
        default: return nil
        }
    }

    /// Keys whose value was asked whether it is null (the standard library's optional fields ask first).
    fileprivate var nullableKeys: Set<String> = []

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        // A type that reads another's keys from the same decoder (RunDetails, a Run with more) adds to them.
        if case .object = schema {} else { schema = .object([]) }
        return KeyedDecodingContainer(Keyed<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        schema = .array(.any)
        return Unkeyed(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(decoder: self) }

    /// Adds a property to the object being read.
    fileprivate func add(_ key: String, _ property: JSONSchema) {
        guard case .object(var properties) = schema else { return }
        properties.removeAll { $0.0 == key }
        if nullableKeys.contains(key), case .nullable = property {} else if nullableKeys.contains(key) {
            properties.append((key, .nullable(property)))
            schema = .object(properties)
            return
        }
        properties.append((key, property))
        schema = .object(properties)
    }

    private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: SchemaDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }
        var allKeys: [Key] { [] }
        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool {
            decoder.nullableKeys.insert(key.stringValue)
            return false
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let (value, schema) = try SchemaDecoder.decode(type, components: decoder.components)
            decoder.add(key.stringValue, schema)
            guard let value else { throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "no sample")) }
            return value
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            let (_, schema) = try SchemaDecoder.decode(type, components: decoder.components)
            decoder.add(key.stringValue, .nullable(schema))
            return nil
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            let nested = SchemaDecoder(components: decoder.components)
            let container = try nested.container(keyedBy: type)
            decoder.add(key.stringValue, .any)
            return container
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            decoder.add(key.stringValue, .array(.any))
            return Unkeyed(decoder: SchemaDecoder(components: decoder.components))
        }

        func superDecoder() throws -> any Decoder { decoder }
        func superDecoder(forKey key: Key) throws -> any Decoder { decoder }
    }

    private struct Unkeyed: UnkeyedDecodingContainer {
        let decoder: SchemaDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }
        var count: Int? { 0 }
        var isAtEnd: Bool { true }
        var currentIndex: Int { 0 }
        mutating func decodeNil() throws -> Bool { true }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "an empty array"))
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try SchemaDecoder(components: decoder.components).container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed(decoder: decoder) }
        mutating func superDecoder() throws -> any Decoder { decoder }
    }

    private struct Single: SingleValueDecodingContainer {
        let decoder: SchemaDecoder
        var codingPath: [any CodingKey] { decoder.codingPath }
        func decodeNil() -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let (value, schema) = try SchemaDecoder.decode(type, components: decoder.components)
            decoder.schema = schema
            guard let value else { throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "no sample")) }
            return value
        }
    }
}

/// The named schemas of one generation (`components/schemas`): the CairnAPI types by their names.
final class SchemaComponents {
    var schemas: [String: JSONSchema] = [:]
    var samples: [String: Any] = [:]
    /// The component name of each named type.
    let names: [ObjectIdentifier: String]

    init(names: [(Any.Type, String)]) {
        self.names = Dictionary(names.map { (ObjectIdentifier($0.0), $0.1) }, uniquingKeysWith: { a, _ in a })
    }

    func name(of type: Any.Type) -> String? { names[ObjectIdentifier(type)] }
}

/// Arrays and string-keyed dictionaries: their element's schema, and an empty value.
protocol SchemaElement {
    static func schema(_ components: SchemaComponents) -> JSONSchema
    static var empty: Any { get }
}

extension Array: SchemaElement where Element: Decodable {
    static func schema(_ components: SchemaComponents) -> JSONSchema {
        .array((try? SchemaDecoder.decode(Element.self, components: components).1) ?? .any)
    }
    static var empty: Any { [Element]() }
}

extension Dictionary: SchemaElement where Key == String, Value: Decodable {
    static func schema(_ components: SchemaComponents) -> JSONSchema {
        .map((try? SchemaDecoder.decode(Value.self, components: components).1) ?? .any)
    }
    static var empty: Any { [String: Value]() }
}

extension Optional: SchemaElement where Wrapped: Decodable {
    static func schema(_ components: SchemaComponents) -> JSONSchema {
        .nullable((try? SchemaDecoder.decode(Wrapped.self, components: components).1) ?? .any)
    }
    static var empty: Any { Wrapped?.none as Any }
}
