/// A point in time, as milliseconds since the Unix epoch (UTC). Cairn stores times as ISO 8601 text
/// (`2026-11-23T03:40:11.482Z`) in its JSON files; this type renders and parses that form without
/// Foundation's locale-dependent formatters.
public struct Timestamp: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }

    public init(secondsSinceEpoch: Double) {
        millisecondsSinceEpoch = Int64((secondsSinceEpoch * 1000).rounded())
    }

    public var secondsSinceEpoch: Double { Double(millisecondsSinceEpoch) / 1000 }

    public struct Fields: Sendable, Equatable {
        public var year, month, day, hour, minute, second, millisecond: Int
    }

    /// The calendar fields in UTC (proleptic Gregorian).
    public var utcFields: Fields {
        let ms = millisecondsSinceEpoch
        let millis = Int(((ms % 1000) + 1000) % 1000)
        let totalSeconds = (ms - Int64(millis)) / 1000
        var days = totalSeconds / 86_400
        var secs = totalSeconds % 86_400
        if secs < 0 { secs += 86_400; days -= 1 }
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return Fields(year: Int(year), month: Int(month), day: Int(day),
                      hour: Int(secs / 3600), minute: Int(secs % 3600 / 60), second: Int(secs % 60),
                      millisecond: millis)
    }

    /// Builds a timestamp from UTC calendar fields.
    public init(utc f: Fields) {
        let y = Int64(f.month <= 2 ? f.year - 1 : f.year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(f.month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(f.day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = days * 86_400 + Int64(f.hour * 3600 + f.minute * 60 + f.second)
        millisecondsSinceEpoch = seconds * 1000 + Int64(f.millisecond)
    }

    /// ISO 8601 in UTC with milliseconds: `2026-11-23T03:40:11.482Z`.
    public var iso8601: String {
        let f = utcFields
        func p(_ v: Int, _ w: Int = 2) -> String { String(v).leftPadded(to: w) }
        return "\(p(f.year, 4))-\(p(f.month))-\(p(f.day))T\(p(f.hour)):\(p(f.minute)):\(p(f.second)).\(p(f.millisecond, 3))Z"
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (the form ``iso8601`` writes).
    public init?(iso8601 text: String) {
        let chars = Array(text.utf8)
        func num(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= chars.count else { return nil }
            var v = 0
            for i in range {
                let c = chars[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard chars.count >= 20, chars[4] == 45, chars[7] == 45, chars[10] == 84, chars[13] == 58, chars[16] == 58,
              let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10),
              let h = num(11..<13), let mi = num(14..<16), let s = num(17..<19) else { return nil }
        var ms = 0
        var i = 19
        if chars[i] == 46 {
            i += 1
            var digits = 0
            while i < chars.count, chars[i] >= 48, chars[i] <= 57 {
                if digits < 3 { ms = ms * 10 + Int(chars[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 3)..<3 { ms *= 10 }  // .4 is 400 ms; digits past the third are dropped
        }
        guard i == chars.count - 1, chars[i] == 90, (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        self.init(utc: Fields(year: y, month: mo, day: d, hour: h, minute: mi, second: s, millisecond: ms))
    }

    public var description: String { iso8601 }
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(iso8601: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 UTC time: \(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}
