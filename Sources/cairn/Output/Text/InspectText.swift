import CairnKit

/// `cairn inspect` as text.
enum InspectText {
    /// `NAME DTYPE SHAPE BYTES`, then the metadata and the totals.
    static func inspection(_ inspection: CairnAPI.FileInspection) -> String {
        var lines = ["\(inspection.file): \(inspection.format), \(Formatting.bytes(Int64(inspection.bytes)))"]
        if inspection.entries.isEmpty {
            lines.append("No entries.")
        } else {
            var table = Table("NAME", "DTYPE", "SHAPE", "BYTES")
            for entry in inspection.entries {
                let shape = "(" + entry.shape.map(String.init).joined(separator: ", ") + (entry.shape.count == 1 ? ",)" : ")")
                table.add([entry.name, entry.dtype, shape, Formatting.bytes(Int64(entry.bytes))])
            }
            lines.append(table.text)
        }
        for (key, value) in inspection.metadata.sorted(by: { $0.key < $1.key }) { lines.append("\(key): \(value)") }
        lines.append("\(inspection.entries.count) \(inspection.entries.count == 1 ? "entry" : "entries"), \(inspection.elements) elements, \(Formatting.bytes(Int64(inspection.dataBytes))) of data")
        return lines.joined(separator: "\n")
    }
}
