/// A template parsed once into segments, ready to render and match.
///
/// An optional segment `[A|B]` compiles to a ``Segment/group(_:)`` followed by each alternative's
/// segments, each ending in a ``Segment/jump(_:)`` to the group's end: a small program the matcher
/// runs with backtracking and the renderer walks choosing one alternative (or none).
struct CompiledTemplate: Sendable {
    enum Segment: Sendable {
        case literal([UInt8])
        /// `slot` numbers the field's occurrences (for captures); `name` indexes ``CompiledTemplate/names``.
        case field(slot: Int, name: Int, spec: FieldSpec)
        /// An optional segment: its alternatives, then where the template goes on after it.
        case group(Group)
        /// The end of an alternative: go on at this segment (the group's end).
        case jump(Int)
    }

    /// An optional segment `[A|B|…]`: renders the first alternative whose fields are all given, or
    /// nothing; matches an alternative (tried in order) or nothing.
    struct Group: Sendable {
        /// Each alternative's segments (without the jump that ends it).
        var alternatives: [Range<Int>]
        /// For each alternative, the names (indexes into ``CompiledTemplate/names``) it needs given to render.
        var needs: [[Int]]
        /// The segment after the group.
        var end: Int
        /// The capture slots of the fields inside the group.
        var slots: Range<Int>
    }

    /// What must follow a field's text for the template to go on matching.
    enum Following: Sendable, Equatable {
        /// The end of the path.
        case end
        /// A literal starting with this byte.
        case byte(UInt8)
        /// Nothing known (an optional segment follows).
        case unknown
    }

    var segments: [Segment] = []
    /// Field names, unique, in order of first appearance.
    var names: [String] = []
    /// The names of fields outside any optional segment, which rendering always needs.
    var requiredNames: Set<Int> = []
    /// For each segment, what must follow it.
    var following: [Following] = []
    var slotCount = 0
    /// The literal text the template starts with, and the one it ends with (empty if a field or an
    /// optional segment): a path that does not start and end with them cannot match, which rules out
    /// most paths at once.
    var head: [UInt8] = []
    var tail: [UInt8] = []

    init(_ text: String) throws(CairnError) {
        let shown = NameComponent.quoted(text)
        guard !text.isEmpty else {
            throw CairnError(.layout, "the path template is empty", hint: "write a relative path such as 'checkpoints/{name}.pt'")
        }
        guard !text.hasPrefix("/") else {
            throw CairnError(.layout, "template \(shown) starts with '/'",
                             hint: "layout templates are relative paths; remove the leading '/'")
        }
        let scalars = Array(text.unicodeScalars)
        var literal: [UInt8] = []
        var i = 0
        func flush() { if !literal.isEmpty { segments.append(.literal(literal)); literal = [] } }
        // The optional segment being parsed: where its group segment is, where it opened, its
        // alternatives so far, the jumps that end them, and its first slot.
        var open: (index: Int, position: Int, starts: [Int], needs: [[Int]], jumps: [Int], firstSlot: Int)?
        func closeAlternative() throws(CairnError) {
            guard var group = open else { return }
            flush()
            if group.needs[group.needs.count - 1].isEmpty {
                throw CairnError(.layout, "template \(shown) has an alternative without a field in the optional segment opened at position \(group.position)",
                                 hint: "each alternative of '[...]' names a field, which decides whether it is written; write '[[' and ']]' for literal brackets")
            }
            group.jumps.append(segments.count)
            segments.append(.jump(-1))
            open = group
        }
        while i < scalars.count {
            let scalar = scalars[i]
            let next: Unicode.Scalar? = i + 1 < scalars.count ? scalars[i + 1] : nil
            if scalar == "[" || scalar == "]" {
                if next == scalar {
                    literal.append(UInt8(ascii: scalar))
                    i += 2
                    continue
                }
                if scalar == "[" {
                    if let group = open {
                        throw CairnError(.layout, "template \(shown) opens an optional segment at position \(i + 1) inside the one opened at position \(group.position)",
                                         hint: "optional segments do not nest; write alternatives as '[A|B]', and '[[' for a literal '['")
                    }
                    flush()
                    open = (segments.count, i + 1, [segments.count + 1], [[]], [], slotCount)
                    segments.append(.jump(-1))  // replaced by the group when it closes
                    i += 1
                    continue
                }
                guard open != nil else {
                    throw CairnError(.layout, "template \(shown) has a lone ']' at position \(i + 1)",
                                     hint: "write ']]' for a literal ']'")
                }
                try closeAlternative()
                let group = open!
                let end = segments.count
                for jump in group.jumps { segments[jump] = .jump(end) }
                let ranges = zip(group.starts, group.jumps).map { $0..<$1 }
                segments[group.index] = .group(Group(alternatives: ranges, needs: group.needs, end: end,
                                                     slots: group.firstSlot..<slotCount))
                open = nil
                i += 1
                continue
            }
            if scalar == "|", open != nil {
                if next == "|" {
                    literal.append(UInt8(ascii: "|"))
                    i += 2
                    continue
                }
                try closeAlternative()
                open!.starts.append(segments.count)
                open!.needs.append([])
                i += 1
                continue
            }
            if scalar == "}" {
                guard next == "}" else {
                    throw CairnError(.layout, "template \(shown) has a lone '}' at position \(i + 1)",
                                     hint: "write '}}' for a literal '}'")
                }
                literal.append(UInt8(ascii: "}"))
                i += 2
                continue
            }
            if scalar != "{" {
                literal.append(contentsOf: String(scalar).utf8)
                i += 1
                continue
            }
            if next == "{" {
                literal.append(UInt8(ascii: "{"))
                i += 2
                continue
            }
            let fieldOpen = i
            var close = i + 1
            while close < scalars.count, scalars[close] != "}" {
                if scalars[close] == "{" {
                    throw CairnError(.layout, "template \(shown) has a '{' inside the field opened at position \(fieldOpen + 1)",
                                     hint: "close the field with '}' first; write '{{' for a literal '{'")
                }
                close += 1
            }
            guard close < scalars.count else {
                throw CairnError(.layout, "template \(shown) has a field opened at position \(fieldOpen + 1) that is never closed",
                                 hint: "close it with '}'; write '{{' for a literal '{'")
            }
            let body = scalars[(fieldOpen + 1)..<close]
            let colon = body.firstIndex(of: ":")
            var name = String.UnicodeScalarView()
            name.append(contentsOf: body[..<(colon ?? body.endIndex)])
            var specText = String.UnicodeScalarView()
            if let colon { specText.append(contentsOf: body[(colon + 1)...]) }
            let fieldName = String(name)
            try Self.checkName(fieldName, template: text, position: fieldOpen + 2)
            let spec = try Self.spec(colon == nil ? nil : String(specText), field: fieldName, template: text,
                                     position: (colon ?? fieldOpen) + 2)
            flush()
            let nameIndex: Int
            if let existing = names.firstIndex(of: fieldName) {
                nameIndex = existing
            } else {
                nameIndex = names.count
                names.append(fieldName)
            }
            if open != nil {
                if !open!.needs[open!.needs.count - 1].contains(nameIndex) { open!.needs[open!.needs.count - 1].append(nameIndex) }
            } else {
                requiredNames.insert(nameIndex)
            }
            segments.append(.field(slot: slotCount, name: nameIndex, spec: spec))
            slotCount += 1
            i = close + 1
        }
        if let group = open {
            throw CairnError(.layout, "template \(shown) has an optional segment opened at position \(group.position) that is never closed",
                             hint: "close it with ']'; write '[[' for a literal '['")
        }
        flush()
        following = segments.indices.map { index in followingAfter(index) }
        if case .literal(let bytes)? = segments.first { head = bytes }
        if case .literal(let bytes)? = segments.last { tail = bytes }
    }

    /// What must follow segment `index`: the next literal's first byte (through jumps), the end, or
    /// unknown before an optional segment.
    private func followingAfter(_ index: Int) -> Following {
        var next = index + 1
        while next < segments.count {
            switch segments[next] {
            case .jump(let target): next = target
            case .literal(let bytes): return bytes.first.map(Following.byte) ?? .unknown
            case .field, .group: return .unknown
            }
        }
        return .end
    }

    static func checkName(_ name: String, template: String, position: Int) throws(CairnError) {
        let scalars = Array(name.unicodeScalars)
        func isLetter(_ s: Unicode.Scalar) -> Bool { (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || s == "_" }
        guard let first = scalars.first, isLetter(first), scalars.allSatisfy({ isLetter($0) || ($0 >= "0" && $0 <= "9") }) else {
            throw CairnError(.layout, "template \(NameComponent.quoted(template)) has the field name \(NameComponent.quoted(name)) at position \(position)",
                             hint: "field names are letters, digits and '_', starting with a letter or '_'")
        }
    }

    static func spec(_ text: String?, field: String, template: String, position: Int) throws(CairnError) -> FieldSpec {
        guard let text else { return .string }
        switch text {
        case "path": return .path
        case "int", "d": return .int(width: 0)
        case "float": return .shortestFloat
        case "number": return .number(decimals: nil)
        case "ext": return .ext
        default: break
        }
        let bytes = Array(text.utf8)
        if text.contains("%") {
            return .time(try TimeFormat(text, template: template, offset: position - 1))
        }
        // 03 or 03d: zero-padded integer.
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "0") {
            let digits = bytes.last == UInt8(ascii: "d") ? bytes.dropFirst().dropLast() : bytes.dropFirst()
            if !digits.isEmpty, digits.allSatisfy(FieldSpec.isDigit),
               let width = Int(String(decoding: digits, as: UTF8.self)), (1...FieldSpec.maxIntWidth).contains(width) {
                return .int(width: width)
            }
        }
        // number:.4f: any number, written with fixed decimals.
        if text.hasPrefix("number:") {
            if case .fixed(let decimals) = try spec(String(text.dropFirst(7)), field: field, template: template, position: position) {
                return .number(decimals: decimals)
            }
        }
        // .4f: fixed decimals.
        if bytes.count >= 3, bytes.first == UInt8(ascii: "."), bytes.last == UInt8(ascii: "f") {
            let digits = bytes.dropFirst().dropLast()
            if digits.allSatisfy(FieldSpec.isDigit), let decimals = Int(String(decoding: digits, as: UTF8.self)),
               (0...FieldSpec.maxDecimals).contains(decimals) {
                return .fixed(decimals: decimals)
            }
        }
        throw CairnError(.layout, "template \(NameComponent.quoted(template)) gives field '\(field)' the unknown format \(NameComponent.quoted(text)) at position \(position)",
                         hint: "use one of :path, :int, :d, :03, :03d, :.4f, :float, :number, :number:.4f, :ext, or a time format such as :%Y%m%d_%H%M%S")
    }

    /// The format of each field, by name (the first occurrence's).
    var specsByName: [String: FieldSpec] {
        var result: [String: FieldSpec] = [:]
        for case .field(_, let name, let spec) in segments where result[names[name]] == nil { result[names[name]] = spec }
        return result
    }

    /// A readable shape: literals as written, fields as their names in capitals (`ARCH/EXP_TAG`),
    /// optional segments in brackets (`epoch_EPOCH[-step_STEP]`).
    var shape: String {
        var out = ""
        var index = 0
        while index < segments.count {
            switch segments[index] {
            case .literal(let bytes): out += String(decoding: bytes, as: UTF8.self)
            case .field(_, let name, _): out += names[name].uppercased()
            case .group(let group):
                out += "[" + group.alternatives.map { range in
                    range.map { segment -> String in
                        switch segments[segment] {
                        case .literal(let bytes): String(decoding: bytes, as: UTF8.self)
                        case .field(_, let name, _): names[name].uppercased()
                        case .group, .jump: ""
                        }
                    }.joined()
                }.joined(separator: "|") + "]"
                index = group.end
                continue
            case .jump(let target):
                index = target
                continue
            }
            index += 1
        }
        return out
    }
}
