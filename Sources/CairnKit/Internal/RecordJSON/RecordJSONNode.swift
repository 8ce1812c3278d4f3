/// A JSON value being built by ``RecordJSONNodeEncoder``; arrays and objects are shared boxes, so that
/// a container handed out keeps filling the node its parent holds.
enum RecordJSONNode {
    case null
    case bool(Bool)
    /// A number's text, as written.
    case number(String)
    case string(String)
    case array(ArrayBox)
    case object(ObjectBox)

    final class ArrayBox {
        var items: [RecordJSONNode] = []
    }

    final class ObjectBox {
        var entries: [(key: String, value: RecordJSONNode)] = []

        /// The entries in UTF-8 order of their keys; a key encoded twice keeps its last value.
        func sortedEntries() -> [(key: String, value: RecordJSONNode)] {
            let sorted = entries.indices.sorted { a, b in
                let order = Self.compare(entries[a].key, entries[b].key)
                return order == 0 ? a < b : order < 0
            }.map { entries[$0] }
            var out: [(key: String, value: RecordJSONNode)] = []
            out.reserveCapacity(sorted.count)
            for entry in sorted {
                if let last = out.last, Self.compare(last.key, entry.key) == 0 { out[out.count - 1] = entry } else { out.append(entry) }
            }
            return out
        }

        /// The order of two keys' UTF-8 bytes: negative, zero or positive.
        static func compare(_ a: String, _ b: String) -> Int {
            var a = a, b = b
            return a.withUTF8 { x in
                b.withUTF8 { y in
                    let count = min(x.count, y.count)
                    var i = 0
                    while i < count {
                        if x[i] != y[i] { return Int(x[i]) - Int(y[i]) }
                        i += 1
                    }
                    return x.count - y.count
                }
            }
        }
    }
}
