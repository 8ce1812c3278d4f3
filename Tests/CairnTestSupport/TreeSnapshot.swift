import Foundation

/// Every file, folder and link under a folder with its content, to prove a command changed nothing.
public struct TreeSnapshot: Equatable, CustomStringConvertible {
    public let entries: [String: String]

    public init(_ root: URL) {
        var entries: [String: String] = [:]
        let fm = FileManager.default
        if let walker = fm.enumerator(atPath: root.path) {
            while let relative = walker.nextObject() as? String {
                let path = root.appendingPathComponent(relative).path
                let attributes = (try? fm.attributesOfItem(atPath: path)) ?? [:]
                switch attributes[.type] as? FileAttributeType {
                case .typeDirectory?: entries[relative] = "dir"
                case .typeSymbolicLink?: entries[relative] = "link -> " + ((try? fm.destinationOfSymbolicLink(atPath: path)) ?? "?")
                default:
                    let data = fm.contents(atPath: path) ?? Data()
                    entries[relative] = "file \(data.count) " + data.base64EncodedString()
                }
            }
        }
        self.entries = entries
    }

    /// What differs between two snapshots, for a readable test failure.
    public func difference(from other: TreeSnapshot) -> [String] {
        let keys = Set(entries.keys).union(other.entries.keys).sorted()
        return keys.compactMap { key in
            switch (other.entries[key], entries[key]) {
            case (nil, _?): return "added \(key)"
            case (_?, nil): return "removed \(key)"
            case let (a?, b?) where a != b: return "changed \(key)"
            default: return nil
            }
        }
    }

    public var description: String { entries.keys.sorted().joined(separator: "\n") }
}
