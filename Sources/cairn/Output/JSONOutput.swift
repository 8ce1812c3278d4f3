import Foundation
import CairnCore

/// `--json` output: pretty-printed, sorted keys, one document on stdout.
enum JSONOutput {
    static func print(_ value: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        Terminal.out(String(decoding: data, as: UTF8.self))
    }

    static func optional(_ value: (some Any)?) -> Any { value.map { $0 as Any } ?? NSNull() }
}
