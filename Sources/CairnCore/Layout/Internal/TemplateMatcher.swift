/// The backtracking matcher: tries each field's possible ends (longest first), checking the literal that
/// follows before going deeper. Anchored at both ends of the path; no allocation until a match is found.
struct TemplateMatcher {
    /// The template's program, read in place (a copy of the template retained each of its arrays, for
    /// every path tried).
    let segments: UnsafeBufferPointer<CompiledTemplate.Segment>
    let following: UnsafeBufferPointer<CompiledTemplate.Following>
    let names: UnsafeBufferPointer<String>
    let slotCount: Int
    let bytes: UnsafeBufferPointer<UInt8>
    /// For each slot: start at 2*slot, end at 2*slot+1.
    let captures: UnsafeMutableBufferPointer<Int>
    var result: LayoutFields?
    /// Only whether the path matches: ``finish()`` checks each value's domain without building the fields.
    var validateOnly = false

    static func match(_ template: CompiledTemplate, _ path: String) -> LayoutFields? {
        var path = path
        return path.withUTF8 { run(template, $0, validateOnly: false, pathChecked: false) }
    }

    static func match(_ template: CompiledTemplate, _ path: Substring) -> LayoutFields? {
        var path = path
        return path.withUTF8 { run(template, $0, validateOnly: false, pathChecked: false) }
    }

    /// The fields of a match of a path's UTF-8 bytes (empty when `validateOnly`), else nil.
    static func match(_ template: CompiledTemplate, bytes: UnsafeBufferPointer<UInt8>, validateOnly: Bool,
                      pathChecked: Bool) -> LayoutFields? {
        run(template, bytes, validateOnly: validateOnly, pathChecked: pathChecked)
    }

    /// Runs the matcher on a path's bytes; the fields (empty when `validateOnly`) of a match, else nil.
    private static func run(_ template: CompiledTemplate, _ bytes: UnsafeBufferPointer<UInt8>, validateOnly: Bool,
                            pathChecked: Bool) -> LayoutFields? {
        // Rendering validates every component, so a path with an invalid one cannot match.
        // A template ending in literal text (`.pt`, `best_model`) rejects most paths by their end alone.
        // (Read in place: binding the literal out of its segment retained it for every path tried.)
        let tailCount = template.tail.count
        guard bytes.count >= tailCount else { return nil }
        for i in 0..<tailCount where bytes[bytes.count - tailCount + i] != template.tail[i] { return nil }
        // And one starting with literal text (`checkpoints/epoch_`) by its start.
        let headCount = template.head.count
        guard bytes.count >= headCount else { return nil }
        for i in 0..<headCount where bytes[i] != template.head[i] { return nil }
        guard pathChecked || ComponentCheck.isValidPath(bytes, 0, bytes.count) else { return nil }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: max(2, template.slotCount * 2)) { captures in
            template.segments.withUnsafeBufferPointer { segments in
                template.following.withUnsafeBufferPointer { following in
                    template.names.withUnsafeBufferPointer { names in
                        var matcher = TemplateMatcher(segments: segments, following: following, names: names, slotCount: template.slotCount, bytes: bytes,
                                                      captures: captures, result: nil, validateOnly: validateOnly)
                        return matcher.step(0, 0) ? matcher.result : nil
                    }
                }
            }
        }
    }

    mutating func step(_ s: Int, _ pos: Int) -> Bool {
        let n = bytes.count
        if s == segments.count { return pos == n && finish() }
        switch segments[s] {
        case .literal(let literal):
            let count = literal.count
            guard pos + count <= n else { return false }
            var i = 0
            while i < count {
                if bytes[pos + i] != literal[i] { return false }
                i += 1
            }
            return step(s + 1, pos + count)
        case .jump(let target):
            return step(target, pos)
        case .group(let group):
            // Each alternative in order (an included segment wins over a skipped one), then none.
            for alternative in group.alternatives {
                clear(group.slots)
                if step(alternative.lowerBound, pos) { return true }
            }
            clear(group.slots)
            return step(group.end, pos)
        case .field(let slot, _, let spec):
            captures[2 * slot] = pos
            switch spec {
            case .string, .path:
                let multi = spec == .path
                var limit = pos
                while limit < n {
                    let b = bytes[limit]
                    if b < 0x20 || b == 0x7F || b == UInt8(ascii: "\\") || (!multi && b == UInt8(ascii: "/")) { break }
                    if b == 0xC2, limit + 1 < n, bytes[limit + 1] >= 0x80, bytes[limit + 1] <= 0x9F { break }
                    limit += 1
                    if !multi && limit - pos > NameComponent.maxBytes { break }
                }
                var end = limit
                while end > pos {
                    if (end == n || bytes[end] & 0xC0 != 0x80), tryEnd(s, slot, end) { return true }
                    end -= 1
                }
                return false
            case .int(let width):
                return tryIntegers(s, slot, pos, width: width, allowNegativeZero: false)
            case .fixed(let decimals):
                if decimals == 0 { return tryIntegers(s, slot, pos, width: 0, allowNegativeZero: true) }
                var i = pos
                if i < n, bytes[i] == UInt8(ascii: "-") { i += 1 }
                let digitsStart = i
                while i < n, FieldSpec.isDigit(bytes[i]) { i += 1 }
                guard i > digitsStart, i - digitsStart == 1 || bytes[digitsStart] != UInt8(ascii: "0"),
                      i + 1 + decimals <= n, bytes[i] == UInt8(ascii: ".") else { return false }
                for j in (i + 1)..<(i + 1 + decimals) where !FieldSpec.isDigit(bytes[j]) { return false }
                return tryEnd(s, slot, i + 1 + decimals)
            case .shortestFloat:
                guard pos < n, FieldSpec.isDigit(bytes[pos]) || bytes[pos] == UInt8(ascii: "-") else { return false }
                var limit = pos
                while limit < n, Self.isFloatByte(bytes[limit]) { limit += 1 }
                var end = limit
                while end > pos {
                    if isShortestFloat(pos, end), tryEnd(s, slot, end) { return true }
                    end -= 1
                }
                return false
            case .number:
                var limit = pos
                while limit < n, Self.isNumberByte(bytes[limit]) { limit += 1 }
                var end = limit
                while end > pos {
                    if FieldSpec.isNumberText(Array(bytes[pos..<end])[...]), tryEnd(s, slot, end) { return true }
                    end -= 1
                }
                return false
            case .time(let format):
                guard let (end, _) = format.scan(bytes, from: pos) else { return false }
                return tryEnd(s, slot, end)
            case .ext:
                let longest = FieldSpec.extEnd(bytes, from: pos)
                var end = longest
                while end >= pos {
                    if end == pos || end == longest || bytes[end] == UInt8(ascii: ".") {
                        if tryEnd(s, slot, end) { return true }
                    }
                    end -= 1
                }
                return false
            }
        }
    }

    /// Marks the fields of an optional segment as not matched (before an alternative is tried).
    func clear(_ slots: Range<Int>) {
        for slot in slots { captures[2 * slot] = -1 }
    }

    /// Tries the field of segment `s` ending at `end`, after a cheap check of what must follow.
    @inline(__always)
    mutating func tryEnd(_ s: Int, _ slot: Int, _ end: Int) -> Bool {
        switch following[s] {
        case .end: guard end == bytes.count else { return false }
        case .byte(let next): guard end < bytes.count, bytes[end] == next else { return false }
        case .unknown: break
        }
        captures[2 * slot + 1] = end
        return step(s + 1, end)
    }

    /// Integers as rendering writes them: optional '-', then digits; with a width, at least `width`
    /// characters in all and no leading zero beyond the width; without, no leading zero at all.
    mutating func tryIntegers(_ s: Int, _ slot: Int, _ pos: Int, width: Int, allowNegativeZero: Bool) -> Bool {
        let n = bytes.count
        var i = pos
        let negative = i < n && bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        let digitsStart = i
        while i < n, FieldSpec.isDigit(bytes[i]) { i += 1 }
        var end = i
        while end > digitsStart {
            let digitCount = end - digitsStart
            let total = end - pos
            let leadingZero = digitCount > 1 && bytes[digitsStart] == UInt8(ascii: "0")
            let valid = total >= width && !(total > width && leadingZero) && digitCount <= 20
                && (allowNegativeZero || !negative || !Self.allZeros(bytes, digitsStart, end))
            if valid, tryEnd(s, slot, end) { return true }
            end -= 1
        }
        return false
    }

    static func allZeros(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        for i in start..<end where bytes[i] != UInt8(ascii: "0") { return false }
        return true
    }

    @inline(__always)
    static func isFloatByte(_ b: UInt8) -> Bool {
        FieldSpec.isDigit(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "-")
            || b == UInt8(ascii: "+")
    }

    /// The bytes a ``FieldSpec/number`` can hold: a float's, `E`, and the letters of `inf`, `infinity` and `nan`.
    static func isNumberByte(_ b: UInt8) -> Bool {
        isFloatByte(b) || b == UInt8(ascii: "E") || "INFTYAinfitya".utf8.contains(b)
    }

    /// True if the text is exactly Swift's shortest description of the finite Double it reads as.
    func isShortestFloat(_ start: Int, _ end: Int) -> Bool {
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        let text = String(decoding: slice, as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return false }
        return value.description.utf8.elementsEqual(slice)
    }

    /// Builds the fields of a complete match, checking each value's domain and that repeated fields agree.
    /// Time fields named more than once combine their components (`{t:%Y}/{t:%m%d}`).
    mutating func finish() -> Bool {
        // Each field named once: check the values' domains, no dictionary needed.
        if validateOnly && names.count == slotCount {
            for case .field(let slot, _, let spec) in segments
            where captures[2 * slot] >= 0 && !spec.isValidValue(of: bytes, captures[2 * slot], captures[2 * slot + 1]) {
                return false
            }
            result = LayoutFields()
            return true
        }
        var values = [String: FieldValue](minimumCapacity: names.count)
        var times: [String: (components: LayoutTime.Components, hasYear: Bool)] = [:]
        for case .field(let slot, let nameIndex, let spec) in segments {
            let name = names[nameIndex]
            let start = captures[2 * slot], end = captures[2 * slot + 1]
            if start < 0 { continue }  // in an optional segment not matched
            if case .time(let format) = spec {
                guard let (scanEnd, components) = format.scan(bytes, from: start), scanEnd == end else { return false }
                if let earlier = times[name] {
                    guard earlier.components.agrees(with: components) else { return false }
                    times[name] = (earlier.components.filling(from: components), earlier.hasYear || format.hasYear)
                } else {
                    times[name] = (components, format.hasYear)
                }
                continue
            }
            guard let value = spec.value(of: bytes, start, end) else { return false }
            if let earlier = values[name] {
                guard let merged = Self.merge(earlier, value) else { return false }
                values[name] = merged
            } else {
                values[name] = value
            }
        }
        for (name, time) in times {
            guard values[name] == nil else { return false }
            if time.hasYear {
                guard let value = LayoutTime(utc: time.components) else { return false }
                values[name] = .time(value)
            } else {
                values[name] = .partialTime(time.components)
            }
        }
        result = LayoutFields(values)
        return true
    }

    /// Two occurrences of one (non-time) field: equal values, or floats with the same Double.
    static func merge(_ a: FieldValue, _ b: FieldValue) -> FieldValue? {
        if a == b { return a }
        if case .float(let x, _) = a, case .float(let y, _) = b, x.bitPattern == y.bitPattern { return a }
        return nil
    }
}
