import Foundation

/// The `Encoder` behind ``RecordJSONEncoder``: builds a ``RecordJSONNode`` tree from a value's
/// `encode(to:)`.
final class RecordJSONNodeEncoder: Encoder {
    /// Shared by the encoders of one value: whether something was met that Foundation writes its own way.
    final class Context {
        var unsupported = false
    }

    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    let context: Context
    var node: RecordJSONNode?

    init(codingPath: [any CodingKey], context: Context) {
        self.codingPath = codingPath
        self.context = context
    }

    /// The node of `value`: scalars directly, anything else through its `encode(to:)`.
    static func node<Value: Encodable>(for value: Value, codingPath: [any CodingKey] = [], context: Context) throws -> RecordJSONNode {
        switch value {
        case let text as String: return .string(text)
        case let number as Int: return .number(String(number))
        case let number as Double: return number.isFinite ? .number(text(number.description)) : unsupported(context)
        case let flag as Bool: return .bool(flag)
        case is Date, is Data, is URL, is Decimal: return unsupported(context)
        default:
            let encoder = RecordJSONNodeEncoder(codingPath: codingPath, context: context)
            try value.encode(to: encoder)
            // Foundation writes a value that encoded nothing as an empty object.
            return encoder.node ?? .object(RecordJSONNode.ObjectBox())
        }
    }

    /// A floating-point number's description without a trailing `.0`, as Foundation writes it.
    static func text(_ description: String) -> String {
        description.hasSuffix(".0") ? String(description.dropLast(2)) : description
    }

    static func unsupported(_ context: Context) -> RecordJSONNode {
        context.unsupported = true
        return .null
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: RecordJSONNode.ObjectBox
        if case .object(let existing)? = node {
            box = existing
        } else {
            box = RecordJSONNode.ObjectBox()
            node = .object(box)
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(box: box, codingPath: codingPath, context: context))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: RecordJSONNode.ArrayBox
        if case .array(let existing)? = node {
            box = existing
        } else {
            box = RecordJSONNode.ArrayBox()
            node = .array(box)
        }
        return UnkeyedContainer(box: box, codingPath: codingPath, context: context)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(encoder: self)
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: RecordJSONNode.ObjectBox
        let codingPath: [any CodingKey]
        let context: Context

        func put(_ node: RecordJSONNode, _ key: Key) { box.entries.append((key.stringValue, node)) }

        mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws {
            put(value.isFinite ? .number(RecordJSONNodeEncoder.text(value.description)) : RecordJSONNodeEncoder.unsupported(context), key)
        }
        mutating func encode(_ value: Float, forKey key: Key) throws {
            put(value.isFinite ? .number(RecordJSONNodeEncoder.text(value.description)) : RecordJSONNodeEncoder.unsupported(context), key)
        }
        mutating func encode(_ value: Int, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            put(try RecordJSONNodeEncoder.node(for: value, codingPath: codingPath + [key], context: context), key)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let nested = RecordJSONNode.ObjectBox()
            put(.object(nested), key)
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: codingPath + [key], context: context))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = RecordJSONNode.ArrayBox()
            put(.array(nested), key)
            return UnkeyedContainer(box: nested, codingPath: codingPath + [key], context: context)
        }

        mutating func superEncoder() -> any Encoder {
            context.unsupported = true
            return RecordJSONNodeEncoder(codingPath: codingPath, context: context)
        }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            context.unsupported = true
            return RecordJSONNodeEncoder(codingPath: codingPath + [key], context: context)
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let box: RecordJSONNode.ArrayBox
        let codingPath: [any CodingKey]
        let context: Context
        var count: Int { box.items.count }

        mutating func encodeNil() throws { box.items.append(.null) }
        mutating func encode(_ value: Bool) throws { box.items.append(.bool(value)) }
        mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
        mutating func encode(_ value: Double) throws {
            box.items.append(value.isFinite ? .number(RecordJSONNodeEncoder.text(value.description)) : RecordJSONNodeEncoder.unsupported(context))
        }
        mutating func encode(_ value: Float) throws {
            box.items.append(value.isFinite ? .number(RecordJSONNodeEncoder.text(value.description)) : RecordJSONNodeEncoder.unsupported(context))
        }
        mutating func encode(_ value: Int) throws { box.items.append(.number(String(value))) }
        mutating func encode(_ value: Int8) throws { box.items.append(.number(String(value))) }
        mutating func encode(_ value: Int16) throws { box.items.append(.number(String(value))) }
        mutating func encode(_ value: Int32) throws { box.items.append(.number(String(value))) }
        mutating func encode(_ value: Int64) throws { box.items.append(.number(String(value))) }
        mutating func encode(_ value: UInt) throws { box.items.append(.number(String(value))) }
        mutating func encode(_ value: UInt8) throws { box.items.append(.number(String(value))) }
        mutating func encode(_ value: UInt16) throws { box.items.append(.number(String(value))) }
        mutating func encode(_ value: UInt32) throws { box.items.append(.number(String(value))) }
        mutating func encode(_ value: UInt64) throws { box.items.append(.number(String(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            box.items.append(try RecordJSONNodeEncoder.node(for: value, codingPath: codingPath, context: context))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = RecordJSONNode.ObjectBox()
            box.items.append(.object(nested))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, codingPath: codingPath, context: context))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = RecordJSONNode.ArrayBox()
            box.items.append(.array(nested))
            return UnkeyedContainer(box: nested, codingPath: codingPath, context: context)
        }

        mutating func superEncoder() -> any Encoder {
            context.unsupported = true
            return RecordJSONNodeEncoder(codingPath: codingPath, context: context)
        }
    }

    struct SingleValueContainer: SingleValueEncodingContainer {
        let encoder: RecordJSONNodeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        mutating func encodeNil() throws { encoder.node = .null }
        mutating func encode(_ value: Bool) throws { encoder.node = .bool(value) }
        mutating func encode(_ value: String) throws { encoder.node = .string(value) }
        mutating func encode(_ value: Double) throws {
            encoder.node = value.isFinite ? .number(RecordJSONNodeEncoder.text(value.description)) : RecordJSONNodeEncoder.unsupported(encoder.context)
        }
        mutating func encode(_ value: Float) throws {
            encoder.node = value.isFinite ? .number(RecordJSONNodeEncoder.text(value.description)) : RecordJSONNodeEncoder.unsupported(encoder.context)
        }
        mutating func encode(_ value: Int) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: Int8) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: Int16) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: Int32) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: Int64) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: UInt) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: UInt8) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: UInt16) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: UInt32) throws { encoder.node = .number(String(value)) }
        mutating func encode(_ value: UInt64) throws { encoder.node = .number(String(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            encoder.node = try RecordJSONNodeEncoder.node(for: value, codingPath: encoder.codingPath, context: encoder.context)
        }
    }
}
