/// A compiled strftime subset for time fields: `%Y %y %m %b %d %H %M %S %f %%`; every directive has a
/// fixed width, so matching a time field never needs to backtrack.
struct TimeFormat: Hashable, Sendable {
    enum Item: Hashable, Sendable {
        case literal([UInt8])
        case year4, year2, month2, monthAbbrev, day2, hour2, minute2, second2, micro6

        var width: Int {
            switch self {
            case .literal(let bytes): bytes.count
            case .year4: 4
            case .micro6: 6
            case .monthAbbrev: 3
            default: 2
            }
        }
    }

    static let monthAbbreviations: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                                "Nov", "Dec"].map { Array($0.utf8) }

    let text: String
    let items: [Item]

    /// True when the format names a year, so parsing it yields a complete ``LayoutTime``.
    var hasYear: Bool { items.contains { $0 == .year4 || $0 == .year2 } }

    /// Compiles a format. `offset` is the format's position in the template, for errors.
    init(_ text: String, template: String, offset: Int) throws(CairnError) {
        var items: [Item] = []
        var literal: [UInt8] = []
        var scalars = Array(text.unicodeScalars)[...]
        var position = offset
        func flush() { if !literal.isEmpty { items.append(.literal(literal)); literal = [] } }
        while let scalar = scalars.popFirst() {
            position += 1
            guard scalar == "%" else { literal.append(contentsOf: String(scalar).utf8); continue }
            guard let directive = scalars.popFirst() else {
                throw CairnError(.layout, "template \(NameComponent.quoted(template)) has a '%' at the end of a time format at position \(position)",
                                 hint: "write '%%' for a literal '%'")
            }
            position += 1
            let item: Item
            switch directive {
            case "%": literal.append(UInt8(ascii: "%")); continue
            case "Y": item = .year4
            case "y": item = .year2
            case "m": item = .month2
            case "b": item = .monthAbbrev
            case "d": item = .day2
            case "H": item = .hour2
            case "M": item = .minute2
            case "S": item = .second2
            case "f": item = .micro6
            default:
                throw CairnError(.layout, "template \(NameComponent.quoted(template)) has the unknown time directive '%\(directive)' at position \(position - 1)",
                                 hint: "time formats support %Y %y %m %b %d %H %M %S %f and %%")
            }
            flush()
            items.append(item)
        }
        flush()
        guard items.contains(where: { if case .literal = $0 { false } else { true } }) else {
            throw CairnError(.layout, "template \(NameComponent.quoted(template)) has a time format without a directive at position \(offset + 1)",
                             hint: "a time format needs at least one of %Y %y %m %b %d %H %M %S %f")
        }
        self.text = text
        self.items = items
    }

    /// Renders known components; throws naming the first component the format needs but `c` lacks.
    func render(_ c: LayoutTime.Components, field: String, template: String) throws(CairnError) -> String {
        var out = ""
        func need(_ v: Int?, _ what: String, _ range: ClosedRange<Int>) throws(CairnError) -> Int {
            guard let v else {
                throw CairnError(.layout, "field '\(field)' of template \(NameComponent.quoted(template)) has no \(what) for the time format '\(text)'",
                                 hint: "give a complete time, or the components this format needs")
            }
            guard range.contains(v) else {
                throw CairnError(.layout, "field '\(field)' of template \(NameComponent.quoted(template)) has the \(what) \(v), outside \(range.lowerBound)...\(range.upperBound)",
                                 hint: "give a time the format '\(text)' can write")
            }
            return v
        }
        for item in items {
            switch item {
            case .literal(let bytes): out += String(decoding: bytes, as: UTF8.self)
            case .year4: out += String(try need(c.year, "year", 0...9999)).leftPadded(to: 4)
            case .year2: out += String(try need(c.year, "year", 0...9999) % 100).leftPadded(to: 2)
            case .month2: out += String(try need(c.month, "month", 1...12)).leftPadded(to: 2)
            case .monthAbbrev:
                out += String(decoding: Self.monthAbbreviations[try need(c.month, "month", 1...12) - 1], as: UTF8.self)
            case .day2: out += String(try need(c.day, "day", 1...31)).leftPadded(to: 2)
            case .hour2: out += String(try need(c.hour, "hour", 0...23)).leftPadded(to: 2)
            case .minute2: out += String(try need(c.minute, "minute", 0...59)).leftPadded(to: 2)
            case .second2: out += String(try need(c.second, "second", 0...59)).leftPadded(to: 2)
            case .micro6: out += String(try need(c.microsecond, "microsecond", 0...999_999)).leftPadded(to: 6)
            }
        }
        return out
    }

    /// Reads the format at `start`: the end of the text and the components, or nil if the bytes there
    /// are not something ``render(_:field:template:)`` could have written.
    func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, components: LayoutTime.Components)? {
        var c = LayoutTime.Components()
        var twoDigitYear: Int?
        var pos = start
        let n = bytes.count
        func number(_ width: Int) -> Int? {
            guard pos + width <= n else { return nil }
            var v = 0
            for i in pos..<(pos + width) {
                let b = bytes[i]
                guard b >= 48, b <= 57 else { return nil }
                v = v * 10 + Int(b - 48)
            }
            pos += width
            return v
        }
        func set(_ slot: inout Int?, _ v: Int?, _ range: ClosedRange<Int>) -> Bool {
            guard let v, range.contains(v), slot == nil || slot == v else { return false }
            slot = v
            return true
        }
        for item in items {
            switch item {
            case .literal(let literal):
                guard pos + literal.count <= n else { return nil }
                for (i, b) in literal.enumerated() where bytes[pos + i] != b { return nil }
                pos += literal.count
            case .year4: guard set(&c.year, number(4), 0...9999) else { return nil }
            case .year2: guard set(&twoDigitYear, number(2), 0...99) else { return nil }
            case .month2: guard set(&c.month, number(2), 1...12) else { return nil }
            case .monthAbbrev:
                guard pos + 3 <= n,
                      let index = Self.monthAbbreviations.firstIndex(where: { abbrev in
                          bytes[pos] == abbrev[0] && bytes[pos + 1] == abbrev[1] && bytes[pos + 2] == abbrev[2]
                      }) else { return nil }
                pos += 3
                guard set(&c.month, index + 1, 1...12) else { return nil }
            case .day2: guard set(&c.day, number(2), 1...31) else { return nil }
            case .hour2: guard set(&c.hour, number(2), 0...23) else { return nil }
            case .minute2: guard set(&c.minute, number(2), 0...59) else { return nil }
            case .second2: guard set(&c.second, number(2), 0...59) else { return nil }
            case .micro6: guard set(&c.microsecond, number(6), 0...999_999) else { return nil }
            }
        }
        if let yy = twoDigitYear {
            if let year = c.year {
                guard year % 100 == yy else { return nil }
            } else {
                c.year = yy < 69 ? 2000 + yy : 1900 + yy   // POSIX strptime's pivot
            }
        }
        if let day = c.day, day > LayoutTime.daysIn(month: c.month ?? 1, year: c.year) {
            // Without a month, any day up to 31 is possible.
            if c.month != nil { return nil }
        }
        return (pos, c)
    }

    /// The value a match yields: a complete time when the format has a year, else the components.
    func value(of c: LayoutTime.Components) -> FieldValue? {
        guard hasYear else { return .partialTime(c) }
        return LayoutTime(utc: c).map(FieldValue.time)
    }
}
