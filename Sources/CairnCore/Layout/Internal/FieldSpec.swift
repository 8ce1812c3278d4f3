/// The format of one field of a template, and how a value of it is written and read back.
enum FieldSpec: Hashable, Sendable {
    /// `{name}`: one path component's worth of text.
    case string
    /// `{name:path}`: one or more components joined by `/`.
    case path
    /// `{name:int}`, `{name:d}` (width 0), `{name:03}`, `{name:03d}`.
    case int(width: Int)
    /// `{name:.4f}`.
    case fixed(decimals: Int)
    /// `{name:float}`: the shortest text that reads back as the same Double.
    case shortestFloat
    /// `{name:number}`, `{name:number:.4f}`: any spelling of a number Python's `str()`, `repr()` or
    /// `f"{x:.Nf}"` writes (`12`, `-0.5`, `0.912345678`, `12.5000`, `1e-05`, `1.5E+20`, `inf`, `nan`),
    /// kept as written; a value without its text is written with `decimals` decimals when given, else
    /// in its shortest form.
    case number(decimals: Int?)
    /// `{name:%Y%m%d…}`.
    case time(TimeFormat)
    /// `{name:ext}`: empty, or `.` + letters/digits/`_`/`-`, repeated (`.pt`, `.tar.gz`).
    case ext

    static let maxIntWidth = 32
    static let maxDecimals = 20

    var isTime: Bool { if case .time = self { true } else { false } }

    // MARK: rendering

    /// The text of `value` in this format.
    func render(_ value: FieldValue, field: String, template: String) throws(CairnError) -> String {
        let shown = NameComponent.quoted(template)
        func mismatch(_ expected: String) -> CairnError {
            CairnError(.layout, "field '\(field)' of template \(shown) needs \(expected), got \(value)",
                       hint: "give the field a value of the right kind")
        }
        switch self {
        case .string, .path:
            guard let text = value.plainText else { throw mismatch("text") }
            try Self.validateText(text, multiComponent: self == .path, field: field, template: template)
            return text
        case .int(let width):
            guard let number = value.intValue else { throw mismatch("an integer") }
            return Self.renderInt(number, width: width)
        case .fixed(let decimals):
            var number: Double?
            switch value {
            case .float(let d, let text):
                if let text, Self.isFixedText(Array(text.utf8)[...], decimals: decimals), Double(text) == d { return text }
                number = d
            case .string(let s):
                if Self.isFixedText(Array(s.utf8)[...], decimals: decimals), Double(s) != nil { return s }
                number = Double(s)
            case .int(let i): number = Double(i)
            default: number = nil
            }
            guard let number else { throw mismatch("a number") }
            guard number.isFinite else { throw mismatch("a finite number") }
            return DecimalFormatting.fixed(number, decimals: decimals)
        case .shortestFloat:
            guard let number = value.doubleValue else { throw mismatch("a number") }
            guard number.isFinite else { throw mismatch("a finite number") }
            return number.description
        case .number(let decimals):
            switch value {
            case .float(_, let text?) where Self.isNumberText(Array(text.utf8)[...]): return text
            case .string(let s) where Self.isNumberText(Array(s.utf8)[...]): return s
            default:
                guard let number = value.doubleValue else { throw mismatch("a number") }
                if let decimals, number.isFinite { return DecimalFormatting.fixed(number, decimals: decimals) }
                if case .int(let i) = value { return String(i) }
                return Self.pythonText(number)
            }
        case .time(let format):
            guard let components = value.timeComponents else { throw mismatch("a time") }
            return try format.render(components, field: field, template: template)
        case .ext:
            guard case .string(let text) = value else { throw mismatch("a file extension") }
            guard Self.extEnd(Array(text.utf8), from: 0) == text.utf8.count else {
                throw CairnError(.layout, "field '\(field)' of template \(shown) has the extension \(NameComponent.quoted(text)), which is not '' or '.' followed by letters, digits, '_' or '-' (repeatable)",
                                 hint: "write extensions such as '.pt' or '.tar.gz'")
            }
            return text
        }
    }

    static func validateText(_ text: String, multiComponent: Bool, field: String, template: String) throws(CairnError) {
        let what = "field '\(field)' of template \(NameComponent.quoted(template))"
        if !multiComponent && text.contains("/") {
            throw CairnError(.layout, "\(what) has the value \(NameComponent.quoted(text)), which contains '/'",
                             hint: "this field is one path component; use {\(field):path} in the template to allow '/'")
        }
        if multiComponent && text.isEmpty {
            throw CairnError(.layout, "\(what) is empty", hint: "give a non-empty value")
        }
        do {
            for component in text.split(separator: "/", omittingEmptySubsequences: false) {
                try NameComponent.validate(component, what: "the value of", whole: text)
            }
        } catch {
            throw CairnError(.layout, "\(what): \(error.message)", hint: error.hint)
        }
    }

    static func renderInt(_ value: Int, width: Int) -> String {
        let digits = String(value.magnitude)
        return value < 0 ? "-" + digits.leftPadded(to: width - 1) : digits.leftPadded(to: width)
    }

    // MARK: reading

    /// True if `bytes` is exactly what rendering some Double with `decimals` decimals writes.
    static func isFixedText(_ bytes: ArraySlice<UInt8>, decimals: Int) -> Bool {
        var i = bytes.startIndex
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let digitsStart = i
        while i < bytes.endIndex, isDigit(bytes[i]) { i += 1 }
        guard i > digitsStart, i - digitsStart == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return false }
        if decimals == 0 { return i == bytes.endIndex }
        guard i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") else { return false }
        i += 1
        let fractionStart = i
        while i < bytes.endIndex, isDigit(bytes[i]) { i += 1 }
        return i == bytes.endIndex && i - fractionStart == decimals
    }

    /// True if `bytes` is a number as Python writes one: `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?`, a
    /// leading-point form excluded, or `inf`, `-inf`, `nan` (any case).
    static func isNumberText(_ bytes: ArraySlice<UInt8>) -> Bool {
        var i = bytes.startIndex
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let word = String(decoding: bytes[i...], as: UTF8.self).lowercased()
        if word == "inf" || word == "nan" || word == "infinity" { return true }
        func digits() -> Bool {
            let start = i
            while i < bytes.endIndex, isDigit(bytes[i]) { i += 1 }
            return i > start
        }
        guard digits() else { return false }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() else { return false }
        }
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.endIndex, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() else { return false }
        }
        return i == bytes.endIndex
    }

    /// A Double as Python's `str()` writes it: `inf`, `-inf`, `nan`, else the shortest round-trip text
    /// (which Swift's `description` shares with Python for every finite value but the exponent's padding).
    static func pythonText(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        return number.description
    }

    /// The end of the longest extension (`(\.[A-Za-z0-9_-]+)*`) starting at `start`.
    static func extEnd<C: RandomAccessCollection<UInt8>>(_ bytes: C, from start: Int) -> Int where C.Index == Int {
        var end = start
        while end < bytes.endIndex, bytes[end] == UInt8(ascii: ".") {
            var j = end + 1
            while j < bytes.endIndex, isExtByte(bytes[j]) { j += 1 }
            if j == end + 1 { break }
            end = j
        }
        return end
    }

    /// The value of matched text (valid UTF-8 cut at scalar boundaries), or nil if the text is outside the
    /// field's domain.
    /// True when ``value(of:_:_:)`` would give a value, checked without making it where that is cheaper.
    func isValidValue(of bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        switch self {
        case .string, .path: return ComponentCheck.isValidPath(bytes, start, end)
        case .ext: return true
        case .int: return Self.parseInt(UnsafeBufferPointer(rebasing: bytes[start..<end])) != nil
        case .fixed, .shortestFloat, .number, .time: return value(of: bytes, start, end) != nil
        }
    }

    func value(of bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> FieldValue? {
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        switch self {
        case .string, .path:
            guard ComponentCheck.isValidPath(bytes, start, end) else { return nil }
            return .string(String(decoding: slice, as: UTF8.self))
        case .ext:
            return .string(String(decoding: slice, as: UTF8.self))
        case .int:
            return Self.parseInt(slice).map(FieldValue.int)
        case .fixed, .shortestFloat:
            let text = String(decoding: slice, as: UTF8.self)
            guard let d = Double(text) else { return nil }
            return .float(d, text: text)
        case .number:
            guard Self.isNumberText(Array(slice)[...]) else { return nil }
            let text = String(decoding: slice, as: UTF8.self)
            guard let d = Double(text) else { return nil }
            return .float(d, text: text)
        case .time(let format):
            guard let (scanEnd, components) = format.scan(bytes, from: start), scanEnd == end else { return nil }
            return format.value(of: components)
        }
    }

    /// Parses `-?[0-9]+` into an Int, or nil on overflow or bad syntax.
    static func parseInt(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let negative = !bytes.isEmpty && bytes[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        guard i < bytes.count else { return nil }
        var magnitude: UInt = 0
        while i < bytes.count {
            let b = bytes[i]
            guard isDigit(b) else { return nil }
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt(b - 48))
            guard !o1, !o2 else { return nil }
            magnitude = s
            i += 1
        }
        if negative {
            guard magnitude <= UInt(Int.max) + 1 else { return nil }
            return magnitude == UInt(Int.max) + 1 ? Int.min : -Int(magnitude)
        }
        return Int(exactly: magnitude)
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    @inline(__always) static func isExtByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }
}

extension FieldValue {
    /// The text a string field renders: strings, ints and floats (their exact text) convert; times do not.
    var plainText: String? {
        switch self {
        case .string(let s): s
        case .int(let i): String(i)
        case .float(let d, let text): text ?? d.description
        case .time, .partialTime: nil
        }
    }
}
