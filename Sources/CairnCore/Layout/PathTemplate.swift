/// A two-way path template: renders fields into a relative path and matches a relative path back into
/// its fields. Matching is the exact inverse of rendering over each field's domain.
///
/// ## Template syntax
///
/// A template is a relative path (it must not be empty or start with `/`) made of literal text and
/// fields in braces. `{{` and `}}` stand for literal `{` and `}`; a lone `}` is an error. A field is
/// `{name}` or `{name:format}`; a name is letters, digits and `_`, not starting with a digit.
///
/// | field | renders | matches |
/// | --- | --- | --- |
/// | `{name}` | text: one path component's worth, no `/` | non-empty text without `/` |
/// | `{name:path}` | text that may contain `/` | one or more components joined by `/` |
/// | `{name:int}`, `{name:d}` | a decimal integer, `-` for negatives: `7`, `-12` | the same, no leading zeros, no `-0` |
/// | `{name:03}`, `{name:03d}` | zero-padded to width 3 (the `-` counts): `007`, `-07`, `1234` | at least 3 characters, no zero beyond the width (`0007` does not match) |
/// | `{name:.4f}` | a float with exactly 4 decimals, correctly rounded: `0.8310` | `-?(0\|[1-9][0-9]*)\.[0-9]{4}` |
/// | `{name:float}` | the shortest text that reads back as the same Double (Swift's `description`: `0.1`, `1e-05`, `3.0`) | exactly such text |
/// | `{name:%Y%m%d_%H%M%S_%f}` | a UTC time in a strftime subset (below) | exactly what the format writes |
/// | `{name:number}`, `{name:number:.4f}` | the value's text as matched, else with the decimals given or the shortest text (`inf`, `nan` for those) | any number Python's `str()` or `f"{x:.Nf}"` writes: `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?`, `inf`, `-inf`, `nan` |
/// | `{name:ext}` | a file extension with its dot (`.pt`, `.tar.gz`) or nothing | `(\.[A-Za-z0-9_-]+)*` |
///
/// Any other format after `:` is an error, reported with the template and the position (counted in
/// Unicode scalars from 1). Widths run from 1 to 32 digits, decimals from 0 to 20 (`.0f` writes no point).
///
/// **Time formats** use `%Y` (4-digit year, 0000–9999), `%y` (2-digit year; reading maps 69–99 to
/// 1969–1999 and 00–68 to 2000–2068), `%m` (01–12), `%b` (`Jan`…`Dec`, English, exactly that case),
/// `%d` (01–31, checked against the month), `%H` (00–23), `%M` (00–59), `%S` (00–59), `%f` (microseconds,
/// 6 digits) and `%%` (a literal `%`); any other character is literal. Times are ``LayoutTime`` values
/// (microseconds, UTC). A match yields ``FieldValue/time(_:)`` when the format has a year (missing parts
/// count as the first month, first day, zero hours…) and ``FieldValue/partialTime(_:)`` with the parsed
/// components when it has none (`log_{start:%b%d_%H_%M_%S}.txt`): combine those with a known year using
/// ``LayoutTime/Components/resolved(year:)``. Rendering takes either; a partial time must have every
/// component the format writes.
///
/// **Values.** Every text value and every component of the rendered path must pass
/// ``NameComponent/validate(_:what:whole:)``: not empty, not `.` or `..`, no control characters, no `\`,
/// no leading or trailing white space, at most 255 bytes. So rendering never yields `..` or an absolute
/// path, and matching accepts only paths rendering could produce. Rendering converts sensibly: an
/// integer field takes `.int`, a string holding an integer, an integral float, or a time (its seconds
/// since the epoch); a text field takes strings, ints and floats (as text); a float field takes floats,
/// ints and numeric strings, and a `.float(_, text:)` whose text already has the right form and value
/// is written as that text, so a matched value re-renders byte for byte.
///
/// **Optional segments.** `[…]` holds text and fields written only when every field inside it is
/// given: `epoch_{epoch:04}[-step_{step:08}]` renders `epoch_0003` without a step and
/// `epoch_0003-step_00000300` with one. `[A|B|…]` holds alternatives: the first whose fields are all
/// given is written, or none (`[epoch_{epoch:04}-step_{step:08}|epoch_{epoch:04}|step_{step:08}]`).
/// Each alternative names at least one field; optional segments do not nest. `[[` and `]]` stand for
/// literal `[` and `]`, and inside `[…]`, `||` for a literal `|` (outside, `|` is literal text). A
/// match tries the alternatives in order, then none, and yields only the fields of the one it took.
///
/// **Matching** covers the whole path (anchored at both ends) and finds a match whenever one exists,
/// backtracking between adjacent fields (`{a}_{b}` matches `x_y_z`). When several splits work, earlier
/// fields take the longest text (`a = x_y`, `b = z`). A field named twice must match the same value
/// both times (numbers compared as numbers; time components must agree and are combined).
public struct PathTemplate: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The template as written.
    public let text: String
    let compiled: CompiledTemplate

    /// Parses a template.
    /// - Parameter text: the template, e.g. `checkpoints/epoch_{epoch:04}{ext:ext}`.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/layout`` naming the template and the position of
    ///   the mistake.
    public init(_ text: String) throws(CairnError) {
        self.text = text
        compiled = try CompiledTemplate(text)
    }

    /// The field names, in order of first appearance, each once (those of optional segments included).
    public var fieldNames: [String] { compiled.names }

    /// The names of the fields rendering always needs: those outside optional segments, in order.
    public var requiredFieldNames: [String] {
        compiled.names.indices.filter { compiled.requiredNames.contains($0) }.map { compiled.names[$0] }
    }

    /// The template's shape for messages: literals as written, fields as capitalised names (`ARCH/EXP_TAG`).
    public var shape: String { compiled.shape }

    /// True if the template has a field with a time format.
    public var hasTimeField: Bool { compiled.specsByName.values.contains { $0.isTime } }

    /// The names of the fields with a time format, in order.
    public var timeFieldNames: [String] { compiled.names.filter { compiled.specsByName[$0]?.isTime == true } }

    /// Renders `fields` into a relative path. Fields the template does not use are ignored; an
    /// optional segment is written with its first alternative whose fields are all given, or not at all.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/layout`` if a field is missing, has a value of
    ///   the wrong kind, or a value that would make an invalid path component.
    public func render(_ fields: LayoutFields) throws(CairnError) -> String {
        var out = ""
        var index = 0
        let segments = compiled.segments
        while index < segments.count {
            switch segments[index] {
            case .literal(let bytes):
                out += String(decoding: bytes, as: UTF8.self)
            case .field(_, let nameIndex, let spec):
                let name = compiled.names[nameIndex]
                guard let value = fields[name] else {
                    throw CairnError(.layout, "template \(NameComponent.quoted(text)) needs the field '\(name)', which is missing",
                                     hint: "give a value for '\(name)'")
                }
                out += try spec.render(value, field: name, template: text)
            case .group(let group):
                // The first alternative whose fields are all given, or nothing.
                let chosen = group.needs.firstIndex { needs in needs.allSatisfy { fields[compiled.names[$0]] != nil } }
                index = chosen.map { group.alternatives[$0].lowerBound } ?? group.end
                continue
            case .jump(let target):
                index = target
                continue
            }
            index += 1
        }
        do {
            for component in out.split(separator: "/", omittingEmptySubsequences: false) {
                try NameComponent.validate(component, what: "path", whole: out)
            }
        } catch {
            throw CairnError(.layout, "template \(NameComponent.quoted(text)) renders an invalid path: \(error.message)",
                             hint: error.hint)
        }
        return out
    }

    /// Matches a whole relative path against the template.
    /// - Returns: the fields, or nil if rendering could not have produced `path`.
    public func match(_ path: String) -> LayoutFields? {
        TemplateMatcher.match(compiled, path)
    }

    /// ``match(_:)`` on a path's UTF-8 bytes, every component of which the caller has checked; with
    /// `fields` false, empty fields for a match (faster: none are built).
    func match(checkedBytes bytes: UnsafeBufferPointer<UInt8>, fields: Bool) -> LayoutFields? {
        TemplateMatcher.match(compiled, bytes: bytes, validateOnly: !fields, pathChecked: true)
    }

    /// ``match(_:)`` for a part of a path.
    func match(_ path: Substring) -> LayoutFields? {
        TemplateMatcher.match(compiled, path)
    }

    /// True when every component of `path` is one rendering could produce: a path that is not cannot
    /// match any template.
    static func isValidPath(_ path: Substring) -> Bool {
        var path = path
        return path.withUTF8 { ComponentCheck.isValidPath($0, 0, $0.count) }
    }

    public var description: String { text }

    public static func == (lhs: PathTemplate, rhs: PathTemplate) -> Bool { lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
