import Glibc
import CairnCore

/// Splits a manifest into lines and reads each into a ``ManifestEvent``.
struct ManifestDecoder {
    /// The result of a decode: events, the valid prefix, a torn tail, or the first bad line.
    struct Outcome {
        var events: [ManifestEvent] = []
        var validBytes = 0
        var tornTail = false
        var failure: (line: Int, problem: String)?
    }

    private let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func run() -> Outcome {
        var outcome = Outcome()
        outcome.events.reserveCapacity(bytes.count / 160)
        var lineStart = 0
        var lineNumber = 0
        var cache = ManifestReadCache()
        let count = bytes.count
        while lineStart < count {
            lineNumber += 1
            guard let found = memchr(bytes.baseAddress! + lineStart, 0x0A, count - lineStart) else {
                // No newline: the last write was cut short.
                outcome.tornTail = true
                break
            }
            let newline = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - bytes.baseAddress!
            do {
                if let event = try Self.event(bytes, start: lineStart, end: newline, cache: &cache) { outcome.events.append(event) }
            } catch {
                if newline + 1 == count {
                    outcome.tornTail = true
                    break
                }
                outcome.failure = (lineNumber, error.problem)
                return outcome
            }
            lineStart = newline + 1
            outcome.validBytes = lineStart
        }
        return outcome
    }

    /// The event on one line; nil for a blank line or an event of an unknown kind.
    static func event(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int,
                      cache: inout ManifestReadCache) throws(ManifestLineError)
        -> ManifestEvent? {
        var parser = ManifestLineParser(bytes, start: start, end: end)
        parser.skipWhitespace()
        if parser.atEnd { return nil }
        var fields = ManifestFields()
        try parser.object { (parser: inout ManifestLineParser, key: ManifestKey) throws(ManifestLineError) in
            try fields.read(key, from: &parser, cache: &cache)
        }
        parser.skipWhitespace()
        guard parser.atEnd else { throw parser.fail("unexpected text after the object") }
        return try fields.event(parser)
    }
}
