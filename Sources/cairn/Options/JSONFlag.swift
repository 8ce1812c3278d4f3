import ArgumentParser
import CairnCore
import CairnKit

/// `--json`, shared by every command that prints a result: the result as Cairn's JSON (docs/FORMAT.md,
/// *JSON output*) instead of text.
struct JSONFlag: ParsableArguments {
    @Flag(name: .long, help: "Print the result as JSON (docs/FORMAT.md, 'JSON output') instead of text.")
    var json = false

    /// Prints `value` as one JSON document, or `text()` (nothing when it is nil).
    func print<Value: Encodable>(_ value: Value, text: (Value) -> String?) throws(CairnError) {
        try Self.print(value, json: json, text: text)
    }

    /// Prints `value` as one JSON document when `json`, else `text()` (nothing when it is nil).
    static func print<Value: Encodable>(_ value: Value, json: Bool, text: (Value) -> String?) throws(CairnError) {
        if json {
            Terminal.out(try CairnJSON.document(value))
        } else if let text = text(value) {
            Terminal.out(text)
        }
    }
}
