import CairnCore

/// Runs a pickle without running anything it names: a symbolic interpreter of the opcodes that plain
/// data needs (the set torch's own `weights_only` unpickler accepts, plus the other protocol 0–5 data
/// opcodes). Globals are recorded by name, never imported; calling one makes a known value only for the
/// few functions that rebuild tensors and ordered dicts (``PickleCalls``), an opaque object naming it
/// otherwise. Every length is checked against the bytes left, so no allocation exceeds the input.
struct PickleMachine {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private var stack: [PickleNode] = []
    /// Stack heights at each MARK.
    private var marks: [Int] = []
    private var memo: [Int: PickleNode] = [:]
    /// The globals the pickle names, as `module.name`.
    private(set) var globals: Set<String> = []
    /// Every node pushed, to take the graph apart without recursion when the machine goes.
    private let arena = Arena()

    /// Holds every node of a run; when it goes, it empties each node's containers first, so that
    /// releasing a chain of 100,000 nested lists (or a list holding itself) neither recurses nor leaks.
    private final class Arena {
        var nodes: [PickleNode] = []
        deinit {
            for node in nodes {
                node.items = []
                node.keys = []
                node.values = []
            }
        }
    }

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Runs the pickle to its STOP.
    /// - Returns: the value it leaves.
    /// - Throws: `CairnError` of kind `.corrupt` for an unknown or malformed opcode, a stack or memo used
    ///   wrongly, or bytes that end before STOP.
    mutating func run() throws(CairnError) -> PickleNode {
        while true {
            let offset = position
            let opcode = try byte()
            if opcode == UInt8(ascii: ".") { return try pop(offset) }
            try step(opcode, at: offset)
        }
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private mutating func step(_ opcode: UInt8, at offset: Int) throws(CairnError) {
        switch opcode {
        case 0x80: _ = try byte()                                   // PROTO
        case 0x95: _ = try take(8)                                  // FRAME: a length hint only
        case UInt8(ascii: "("): marks.append(stack.count)           // MARK
        case UInt8(ascii: "0"):                                     // POP
            if let mark = marks.last, mark == stack.count { marks.removeLast() } else { _ = try pop(offset) }
        case UInt8(ascii: "1"): _ = try popMark(offset)             // POP_MARK
        case UInt8(ascii: "2"): push(try top(offset))               // DUP
        case UInt8(ascii: "N"): push(PickleNode(.none))
        case 0x88: push(PickleNode(.bool(true)))                    // NEWTRUE
        case 0x89: push(PickleNode(.bool(false)))                   // NEWFALSE
        case UInt8(ascii: "J"): push(PickleNode(.int(Int(Int32(bitPattern: try littleEndian(4, as: UInt32.self))))))
        case UInt8(ascii: "K"): push(PickleNode(.int(Int(try byte()))))
        case UInt8(ascii: "M"): push(PickleNode(.int(Int(try littleEndian(2, as: UInt16.self)))))
        case 0x8A: push(try long(count: Int(try byte())))           // LONG1
        case 0x8B: push(try long(count: try length(4, at: offset))) // LONG4
        case UInt8(ascii: "I"), UInt8(ascii: "L"): push(try textInteger(at: offset))
        case UInt8(ascii: "G"): push(PickleNode(.float(Double(bitPattern: UInt64(bigEndian: try take(8).loadUnaligned(as: UInt64.self))))))
        case UInt8(ascii: "F"):
            guard let value = Double(try line()) else { throw Self.damaged("a FLOAT that is not a number", at: offset) }
            push(PickleNode(.float(value)))
        case UInt8(ascii: "X"): push(try text(length: try length(4, at: offset)))          // BINUNICODE
        case 0x8C: push(try text(length: Int(try byte())))                                  // SHORT_BINUNICODE
        case 0x8D: push(try text(length: try length(8, at: offset)))                        // BINUNICODE8
        case UInt8(ascii: "U"): push(try text(length: Int(try byte())))                     // SHORT_BINSTRING
        case UInt8(ascii: "T"): push(try text(length: try length(4, at: offset)))           // BINSTRING
        case UInt8(ascii: "V"), UInt8(ascii: "S"): push(PickleNode(.string(try line())))    // UNICODE, STRING
        case UInt8(ascii: "C"): push(try byteString(length: Int(try byte())))               // SHORT_BINBYTES
        case UInt8(ascii: "B"): push(try byteString(length: try length(4, at: offset)))     // BINBYTES
        case 0x8E, 0x96: push(try byteString(length: try length(8, at: offset)))            // BINBYTES8, BYTEARRAY8
        case UInt8(ascii: ")"): push(PickleNode(.tuple))
        case UInt8(ascii: "t"): push(PickleNode(.tuple, items: try popMark(offset)))
        case 0x85, 0x86, 0x87:                                      // TUPLE1-3
            var items: [PickleNode] = []
            for _ in 0..<Int(opcode - 0x84) { items.insert(try pop(offset), at: 0) }
            push(PickleNode(.tuple, items: items))
        case UInt8(ascii: "]"): push(PickleNode(.list))
        case UInt8(ascii: "l"): push(PickleNode(.list, items: try popMark(offset)))
        case 0x8F: push(PickleNode(.set))                           // EMPTY_SET
        case 0x91: push(PickleNode(.set, items: try popMark(offset)))  // FROZENSET
        case UInt8(ascii: "a"):                                     // APPEND
            let item = try pop(offset)
            try append([item], to: try top(offset), at: offset)
        case UInt8(ascii: "e"), 0x90:                               // APPENDS, ADDITEMS
            let items = try popMark(offset)
            try append(items, to: try top(offset), at: offset)
        case UInt8(ascii: "}"): push(PickleNode(.dict(ordered: false)))
        case UInt8(ascii: "d"):                                     // DICT
            let dict = PickleNode(.dict(ordered: false))
            try setItems(try popMark(offset), in: dict, at: offset)
            push(dict)
        case UInt8(ascii: "s"):                                     // SETITEM
            let value = try pop(offset), key = try pop(offset)
            try setItems([key, value], in: try top(offset), at: offset)
        case UInt8(ascii: "u"):                                     // SETITEMS
            let items = try popMark(offset)
            try setItems(items, in: try top(offset), at: offset)
        case UInt8(ascii: "c"):                                     // GLOBAL
            let module = try line(), name = try line()
            push(global(module, name))
        case 0x93:                                                  // STACK_GLOBAL
            let name = try pop(offset), module = try pop(offset)
            guard let moduleName = module.string, let globalName = name.string else {
                throw Self.damaged("a STACK_GLOBAL whose names are not strings", at: offset)
            }
            push(global(moduleName, globalName))
        case UInt8(ascii: "R"):                                     // REDUCE
            let arguments = try pop(offset), callable = try pop(offset)
            push(try PickleCalls.call(callable, arguments, at: offset))
        case 0x81:                                                  // NEWOBJ
            let arguments = try pop(offset), type = try pop(offset)
            push(PickleCalls.instance(of: type, arguments))
        case 0x92:                                                  // NEWOBJ_EX
            let keywords = try pop(offset), arguments = try pop(offset), type = try pop(offset)
            let object = PickleCalls.instance(of: type, arguments)
            object.items.append(keywords)
            push(object)
        case UInt8(ascii: "b"):                                     // BUILD
            let state = try pop(offset)
            PickleCalls.build(try top(offset), with: state)
        case UInt8(ascii: "Q"):                                     // BINPERSID
            push(try PickleCalls.persistent(try pop(offset), at: offset))
        case UInt8(ascii: "P"): push(PickleNode(.opaque("persistent id \(try line())")))  // PERSID
        case UInt8(ascii: "q"): try put(Int(try byte()), at: offset)                       // BINPUT
        case UInt8(ascii: "r"): try put(Int(try littleEndian(4, as: UInt32.self)), at: offset)  // LONG_BINPUT
        case UInt8(ascii: "p"): try put(try decimal(at: offset), at: offset)               // PUT
        case 0x94: try put(memo.count, at: offset)                                         // MEMOIZE
        case UInt8(ascii: "h"): push(try get(Int(try byte()), at: offset))                 // BINGET
        case UInt8(ascii: "j"): push(try get(Int(try littleEndian(4, as: UInt32.self)), at: offset))  // LONG_BINGET
        case UInt8(ascii: "g"): push(try get(try decimal(at: offset), at: offset))         // GET
        default:
            throw Self.damaged("opcode 0x\(String(opcode, radix: 16)) is not one a data pickle uses", at: offset)
        }
    }

    // MARK: Stack and memo

    private mutating func push(_ node: PickleNode) {
        stack.append(node)
        arena.nodes.append(node)
    }

    private mutating func pop(_ offset: Int) throws(CairnError) -> PickleNode {
        guard let node = stack.popLast(), stack.count >= (marks.last ?? 0) else {
            throw Self.damaged("an opcode takes a value from an empty stack", at: offset)
        }
        return node
    }

    private func top(_ offset: Int) throws(CairnError) -> PickleNode {
        guard let node = stack.last, stack.count > (marks.last ?? 0) else {
            throw Self.damaged("an opcode needs a value the stack does not have", at: offset)
        }
        return node
    }

    private mutating func popMark(_ offset: Int) throws(CairnError) -> [PickleNode] {
        guard let mark = marks.popLast() else { throw Self.damaged("an opcode needs a MARK that is not there", at: offset) }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    private mutating func put(_ index: Int, at offset: Int) throws(CairnError) {
        memo[index] = try top(offset)
    }

    private func get(_ index: Int, at offset: Int) throws(CairnError) -> PickleNode {
        guard let node = memo[index] else { throw Self.damaged("it reads memo \(index), which was never stored", at: offset) }
        return node
    }

    private mutating func global(_ module: String, _ name: String) -> PickleNode {
        let full = module + "." + name
        globals.insert(full)
        return PickleNode(.global(full))
    }

    private func append(_ items: [PickleNode], to target: PickleNode, at offset: Int) throws(CairnError) {
        switch target.kind {
        case .list, .set, .opaque: target.items += items
        default: throw Self.damaged("it appends to a \(target.kind), which is not a list", at: offset)
        }
    }

    private func setItems(_ items: [PickleNode], in target: PickleNode, at offset: Int) throws(CairnError) {
        guard items.count % 2 == 0 else { throw Self.damaged("a SETITEMS with a key and no value", at: offset) }
        switch target.kind {
        case .dict:
            for index in stride(from: 0, to: items.count, by: 2) {
                target.keys.append(items[index])
                target.values.append(items[index + 1])
            }
        case .opaque: target.items += items
        default: throw Self.damaged("it sets items of a \(target.kind), which is not a dict", at: offset)
        }
    }

    // MARK: Reading arguments

    private mutating func byte() throws(CairnError) -> UInt8 {
        guard position < bytes.count else { throw Self.damaged("it ends before its STOP opcode", at: position) }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func take(_ count: Int) throws(CairnError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= bytes.count - position else {
            throw Self.damaged("a \(count)-byte argument runs past its end", at: position)
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<position + count])
    }

    private mutating func littleEndian<T: FixedWidthInteger>(_ count: Int, as type: T.Type) throws(CairnError) -> T {
        T(littleEndian: try take(count).loadUnaligned(as: T.self))
    }

    /// A length argument, which must fit in what is left of the pickle.
    private mutating func length(_ width: Int, at offset: Int) throws(CairnError) -> Int {
        let raw: UInt64 = width == 8 ? try littleEndian(8, as: UInt64.self) : UInt64(try littleEndian(4, as: UInt32.self))
        guard raw <= UInt64(bytes.count - position) else {
            throw Self.damaged("a length of \(raw) bytes runs past its end", at: offset)
        }
        return Int(raw)
    }

    private mutating func text(length: Int) throws(CairnError) -> PickleNode {
        PickleNode(.string(String(decoding: try take(length), as: UTF8.self)))
    }

    private mutating func byteString(length: Int) throws(CairnError) -> PickleNode {
        _ = try take(length)
        return PickleNode(.bytes(count: length))
    }

    /// A little-endian two's-complement integer of `count` bytes.
    private mutating func long(count: Int) throws(CairnError) -> PickleNode {
        let raw = try take(count)
        guard count <= 8 else { return PickleNode(.bigInt(bytes: count)) }
        var value: UInt64 = 0
        for (index, byte) in raw.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        if count > 0, count < 8, raw[count - 1] & 0x80 != 0 { value |= ~0 << (8 * UInt64(count)) }
        return PickleNode(.int(Int(Int64(bitPattern: value))))
    }

    /// The text up to the next newline, without it.
    private mutating func line() throws(CairnError) -> String {
        guard let end = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw Self.damaged("a text argument has no end of line", at: position)
        }
        defer { position = end + 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self)
    }

    private mutating func decimal(at offset: Int) throws(CairnError) -> Int {
        guard let value = Int(try line()) else { throw Self.damaged("a memo index that is not a number", at: offset) }
        return value
    }

    /// Protocol 0's INT and LONG: a decimal (with an `L` after a LONG), or `01`/`00` for True/False.
    private mutating func textInteger(at offset: Int) throws(CairnError) -> PickleNode {
        var text = try line()
        if text == "01" { return PickleNode(.bool(true)) }
        if text == "00" { return PickleNode(.bool(false)) }
        if text.hasSuffix("L") { text.removeLast() }
        guard let value = Int(text) else {
            guard !text.isEmpty, text.allSatisfy({ $0.isNumber || $0 == "-" }) else {
                throw Self.damaged("an INT that is not a number", at: offset)
            }
            return PickleNode(.bigInt(bytes: text.count / 2))
        }
        return PickleNode(.int(value))
    }

    static func damaged(_ what: String, at offset: Int) -> CairnError {
        CairnError(.corrupt, "the checkpoint's pickle is damaged: \(what) (byte \(offset) of data.pkl)",
                   hint: "the file may be cut short or not written by torch.save; save it again")
    }
}
