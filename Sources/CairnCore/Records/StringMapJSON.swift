/// `params.json` and `tags.json` (an object of strings) read without Foundation's `JSONDecoder`: a
/// reindex reads two of them per run. Nil for anything else (another shape, a key given twice, a
/// damaged file), which `JSONDecoder` then reads, or explains.
public enum StringMapJSON {
    /// The strings by key; nil when `bytes` are not a JSON object of strings with distinct keys.
    public static func read(_ bytes: [UInt8]) -> [String: String]? {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = RecordJSONScanner(buffer)
            guard let map = scanner.stringMap(), scanner.atEnd() else { return nil }
            return map
        }
    }
}
