/// A field a layout reads from a JSON file inside a folder checkpoint, for names that do not carry it:
/// the typed folders' `best_model/` names no model type, but its `config.json` holds `"model_type": "vision"`;
/// a Hugging Face `checkpoint-500/` names no epoch, but its `trainer_state.json` holds `"epoch": 2.0`.
///
/// Written in a layout as `FIELD=FILE#KEY`, several separated by commas:
/// `content_fields: "model_type=config.json#model_type, epoch=trainer_state.json#epoch"`.
public struct ContentField: Hashable, Sendable, CustomStringConvertible {
    /// The field it gives.
    public let field: String
    /// The JSON file, relative to the checkpoint folder.
    public let file: String
    /// The top-level key of that file's object.
    public let key: String

    public init(field: String, file: String, key: String) {
        self.field = field
        self.file = file
        self.key = key
    }

    /// Parses `FIELD=FILE#KEY[, FIELD=FILE#KEY…]`.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/layout`` naming the entry that is malformed.
    public static func parseList(_ text: String, layout: String) throws(CairnError) -> [ContentField] {
        var out: [ContentField] = []
        for raw in text.split(separator: ",") {
            let entry = Substring(ConfigOverride.trimmed(raw))
            guard let eq = entry.firstIndex(of: "="), let hash = entry.lastIndex(of: "#"), eq < hash else {
                throw CairnError(.layout, "layout '\(layout)': content field \(NameComponent.quoted(String(entry))) is not FIELD=FILE#KEY",
                                 hint: "write it like model_type=config.json#model_type")
            }
            let field = String(entry[..<eq]), file = String(entry[entry.index(after: eq)..<hash])
            let key = String(entry[entry.index(after: hash)...])
            guard !field.isEmpty, !key.isEmpty, field.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw CairnError(.layout, "layout '\(layout)': content field \(NameComponent.quoted(String(entry))) needs a field name and a key",
                                 hint: "write it like model_type=config.json#model_type")
            }
            do {
                for component in file.split(separator: "/", omittingEmptySubsequences: false) {
                    try NameComponent.validate(component, what: "content field file", whole: file)
                }
            } catch {
                throw CairnError(.layout, "layout '\(layout)': content field \(NameComponent.quoted(String(entry))): \(error.message)", hint: error.hint)
            }
            out.append(ContentField(field: field, file: file, key: key))
        }
        return out
    }

    public var description: String { "\(field)=\(file)#\(key)" }
}
