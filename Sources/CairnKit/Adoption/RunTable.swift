/// The run table of a version 3 `.cairn/adopted.pack`: one line per run, `ID TAB EXPERIMENT TAB OFFSET TAB
/// L0,L1,L2,L3,L4 TAB FOLDER LF` (the run's id, its experiment's number, where its records start in the
/// data and the length of each, its folder relative to the tree), read without a JSON decoder: opening
/// a store of 10,000 adopted runs reads it in a few milliseconds. Ids and folders are valid name
/// components and paths, which hold no tab or line feed.
enum RunTable {
    /// The table's bytes.
    static func encode(_ entries: [AdoptedPack.Entry]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 96)
        for entry in entries {
            out += Array(entry.id.utf8)
            out.append(9)
            out += Array(String(entry.experiment).utf8)
            out.append(9)
            out += Array(String(entry.offset).utf8)
            out.append(9)
            out += Array(entry.lengths.map(String.init).joined(separator: ",").utf8)
            out.append(9)
            out += Array((entry.folder ?? "").utf8)
            out.append(10)
        }
        return out
    }

    /// The entries of a table, or nil when a line is malformed.
    static func parse(_ bytes: [UInt8]) -> [AdoptedPack.Entry]? {
        var entries: [AdoptedPack.Entry] = []
        var malformed = false
        bytes.withUnsafeBufferPointer { buffer in
            var lineStart = 0
            while lineStart < buffer.count {
                guard let end = buffer[lineStart...].firstIndex(of: 10) else { malformed = true; return }
                var fields: [Range<Int>] = []
                var fieldStart = lineStart
                for index in lineStart...end where index == end || buffer[index] == 9 {
                    fields.append(fieldStart..<index)
                    fieldStart = index + 1
                }
                guard fields.count == 5, !fields[0].isEmpty, let experiment = number(buffer, fields[1]),
                      let offset = number(buffer, fields[2]) else { malformed = true; return }
                var lengths: [Int] = []
                var partStart = fields[3].lowerBound
                for index in fields[3].lowerBound...fields[3].upperBound where index == fields[3].upperBound || buffer[index] == UInt8(ascii: ",") {
                    guard let length = number(buffer, partStart..<index) else { malformed = true; return }
                    lengths.append(length)
                    partStart = index + 1
                }
                let folder = String(decoding: UnsafeBufferPointer(rebasing: buffer[fields[4]]), as: UTF8.self)
                entries.append(AdoptedPack.Entry(id: String(decoding: UnsafeBufferPointer(rebasing: buffer[fields[0]]), as: UTF8.self),
                                                 experiment: experiment, offset: offset, lengths: lengths,
                                                 folder: folder.isEmpty ? nil : folder))
                lineStart = end + 1
            }
        }
        return malformed ? nil : entries
    }

    /// A decimal number of 1 to 18 digits.
    private static func number(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var value = 0
        for index in range {
            let digit = Int(buffer[index]) - 48
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
