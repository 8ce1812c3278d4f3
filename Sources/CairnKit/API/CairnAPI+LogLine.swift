import CairnCore

extension CairnAPI {
    /// One line of a run's log (`logs --json`, one JSON object per line).
    public struct LogLine: Codable, Sendable, Equatable {
        /// When `cairn exec` read it, or null for a line not in the `TIME STREAM TEXT` form.
        public var time: Timestamp?
        /// `out` (stdout) or `err` (stderr), or null as for `time`.
        public var stream: String?
        /// The line's text (invalid UTF-8 replaced by U+FFFD).
        public var text: String

        /// A log line.
        /// - Parameters:
        ///   - time: when `cairn exec` read it, or nil for a line not in the `TIME STREAM TEXT` form.
        ///   - stream: `out` or `err`, or nil as for `time`.
        ///   - text: the line's text.
        public init(time: Timestamp?, stream: String?, text: String) {
            self.time = time
            self.stream = stream
            self.text = text
        }

        /// Reads one line of `logs/training.log` (without its newline): `TIME STREAM TEXT`; any other
        /// line is kept whole as its text.
        /// - Parameter line: the line's bytes, without the newline.
        public init(parsing line: some Collection<UInt8>) {
            let bytes = Array(line)
            let space = UInt8(ascii: " ")
            if let first = bytes.firstIndex(of: space), let time = Timestamp(iso8601: String(decoding: bytes[..<first], as: UTF8.self)) {
                let rest = bytes[(first + 1)...]
                let second = rest.firstIndex(of: space) ?? rest.endIndex
                let stream = String(decoding: rest[..<second], as: UTF8.self)
                if stream == "out" || stream == "err" {
                    let text = second < rest.endIndex ? bytes[(second + 1)...] : []
                    self.init(time: time, stream: stream, text: String(decoding: text, as: UTF8.self))
                    return
                }
            }
            self.init(time: nil, stream: nil, text: String(decoding: bytes, as: UTF8.self))
        }

        enum CodingKeys: String, CodingKey {
            case time, stream, text
        }

        /// Encodes every key, absent values as `null` (never a missing key), as ``CairnJSON`` writes it.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(time, forKey: .time)
            try c.encode(stream, forKey: .stream)
            try c.encode(text, forKey: .text)
        }
    }
}
