/// A template parsed once into segments, ready to render and match.
struct CompiledTemplate: Sendable {
    enum Segment: Sendable {
        case literal([UInt8])
        /// `slot` numbers the field's occurrences (for captures); `name` indexes ``CompiledTemplate/names``.
        case field(slot: Int, name: Int, spec: FieldSpec)
    }

    var segments: [Segment] = []
    /// Field names, unique, in order of first appearance.
    var names: [String] = []
    /// For each segment, the first byte of the literal that follows it, if a literal follows.
    var followingByte: [UInt8?] = []
    var slotCount = 0
    /// The literal text the template starts with, and the one it ends with (empty if a field): a path
    /// that does not start and end with them cannot match, which rules out most paths at once.
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
        while i < scalars.count {
            let scalar = scalars[i]
            if scalar == "}" {
                guard i + 1 < scalars.count, scalars[i + 1] == "}" else {
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
            if i + 1 < scalars.count, scalars[i + 1] == "{" {
                literal.append(UInt8(ascii: "{"))
                i += 2
                continue
            }
            let open = i
            var close = i + 1
            while close < scalars.count, scalars[close] != "}" {
                if scalars[close] == "{" {
                    throw CairnError(.layout, "template \(shown) has a '{' inside the field opened at position \(open + 1)",
                                     hint: "close the field with '}' first; write '{{' for a literal '{'")
                }
                close += 1
            }
            guard close < scalars.count else {
                throw CairnError(.layout, "template \(shown) has a field opened at position \(open + 1) that is never closed",
                                 hint: "close it with '}'; write '{{' for a literal '{'")
            }
            let body = scalars[(open + 1)..<close]
            let colon = body.firstIndex(of: ":")
            var name = String.UnicodeScalarView()
            name.append(contentsOf: body[..<(colon ?? body.endIndex)])
            var specText = String.UnicodeScalarView()
            if let colon { specText.append(contentsOf: body[(colon + 1)...]) }
            let fieldName = String(name)
            try Self.checkName(fieldName, template: text, position: open + 2)
            let spec = try Self.spec(colon == nil ? nil : String(specText), field: fieldName, template: text,
                                     position: (colon ?? open) + 2)
            flush()
            let nameIndex: Int
            if let existing = names.firstIndex(of: fieldName) {
                nameIndex = existing
            } else {
                nameIndex = names.count
                names.append(fieldName)
            }
            segments.append(.field(slot: slotCount, name: nameIndex, spec: spec))
            slotCount += 1
            i = close + 1
        }
        flush()
        followingByte = segments.indices.map { index in
            guard index + 1 < segments.count, case .literal(let bytes) = segments[index + 1] else { return nil }
            return bytes.first
        }
        if case .literal(let bytes)? = segments.first { head = bytes }
        if case .literal(let bytes)? = segments.last { tail = bytes }
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
        // .4f: fixed decimals.
        if bytes.count >= 3, bytes.first == UInt8(ascii: "."), bytes.last == UInt8(ascii: "f") {
            let digits = bytes.dropFirst().dropLast()
            if digits.allSatisfy(FieldSpec.isDigit), let decimals = Int(String(decoding: digits, as: UTF8.self)),
               (0...FieldSpec.maxDecimals).contains(decimals) {
                return .fixed(decimals: decimals)
            }
        }
        throw CairnError(.layout, "template \(NameComponent.quoted(template)) gives field '\(field)' the unknown format \(NameComponent.quoted(text)) at position \(position)",
                         hint: "use one of :path, :int, :d, :03, :03d, :.4f, :float, :ext, or a time format such as :%Y%m%d_%H%M%S")
    }

    /// The format of each field, by name (the first occurrence's).
    var specsByName: [String: FieldSpec] {
        var result: [String: FieldSpec] = [:]
        for case .field(_, let name, let spec) in segments where result[names[name]] == nil { result[names[name]] = spec }
        return result
    }

    /// A readable shape: literals as written, fields as their names in capitals (`ARCH/EXP_TAG`).
    var shape: String {
        var out = ""
        for segment in segments {
            switch segment {
            case .literal(let bytes): out += String(decoding: bytes, as: UTF8.self)
            case .field(_, let name, _): out += names[name].uppercased()
            }
        }
        return out
    }
}
