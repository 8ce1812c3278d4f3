import CairnFormats

/// The (split, key) pairs a ``MetricLogger`` has seen, each validated once, with what writing a point
/// needs prepared: the key's CSV field and the TensorBoard tag `SPLIT/KEY`.
///
/// Lookups try the series used last and the one that followed it last time (loggers cycle through
/// their keys), comparing strings, before a hash lookup.
struct MetricSeriesTable {
    struct Name: Hashable {
        var split: String
        var key: String
    }

    private(set) var keys: [String] = []
    /// Every series' CSV key field, one after another; ``keyFieldRanges`` says where each is.
    private(set) var keyFieldBytes: [UInt8] = []
    private(set) var keyFieldRanges: [Range<Int>] = []
    private(set) var tags: [String] = []
    /// The split (an index into ``splits``) of each series.
    private(set) var splitOf: [Int32] = []
    private(set) var splits: [String] = []
    private var successor: [Int32] = []
    private var index: [Name: Int32] = [:]
    private var last: Int32 = -1

    var count: Int { keys.count }

    /// The index of a known series, or nil.
    @inline(__always)
    mutating func find(key: String, split: String) -> Int32? {
        if last >= 0 {
            let l = Int(last)
            if keys[l] == key, splits[Int(splitOf[l])] == split { return last }
            let next = successor[l]
            if next >= 0, keys[Int(next)] == key, splits[Int(splitOf[Int(next)])] == split {
                last = next
                return next
            }
        }
        guard let found = index[Name(split: split, key: key)] else { return nil }
        if last >= 0 { successor[Int(last)] = found }
        last = found
        return found
    }

    /// Adds a series (already validated) and returns its index; an existing one is returned as is.
    mutating func insert(key: String, split: String) -> Int32 {
        if let known = find(key: key, split: split) { return known }
        let splitIndex: Int32
        if let known = splits.firstIndex(of: split) {
            splitIndex = Int32(known)
        } else {
            splitIndex = Int32(splits.count)
            splits.append(split)
        }
        let series = Int32(keys.count)
        keys.append(key)
        let field = MetricsCSVRowWriter.keyField(key)
        keyFieldRanges.append(keyFieldBytes.count..<keyFieldBytes.count + field.count)
        keyFieldBytes.append(contentsOf: field)
        tags.append(split + "/" + key)
        splitOf.append(splitIndex)
        successor.append(-1)
        index[Name(split: split, key: key)] = series
        if last >= 0 { successor[Int(last)] = series }
        last = series
        return series
    }
}
