/// A point in time with microsecond precision, as microseconds since the Unix epoch (UTC).
///
/// Layout templates need microseconds (SuperGradients names run folders `RUN_20230815_235959_000123`), which
/// ``Timestamp`` (milliseconds) cannot hold; convert with ``init(_:)`` and ``timestamp``.
public struct LayoutTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public let microsecondsSinceEpoch: Int64

    public init(microsecondsSinceEpoch: Int64) { self.microsecondsSinceEpoch = microsecondsSinceEpoch }

    /// The same instant as a millisecond ``Timestamp``.
    public init(_ timestamp: Timestamp) { microsecondsSinceEpoch = timestamp.millisecondsSinceEpoch * 1000 }

    /// The instant as a ``Timestamp``, rounded down to the millisecond.
    public var timestamp: Timestamp { Timestamp(millisecondsSinceEpoch: Self.floorDiv(microsecondsSinceEpoch, 1000)) }

    /// Whole seconds since the epoch, rounded down.
    public var secondsSinceEpoch: Int64 { Self.floorDiv(microsecondsSinceEpoch, 1_000_000) }

    /// Calendar fields of a time, any of which may be unknown.
    ///
    /// Parsing a path whose time format lacks a year (SuperGradients' `log_Aug15_23_59_59.txt`) yields a
    /// ``FieldValue/partialTime(_:)`` holding these; combine them with a known year with ``resolved(year:)``.
    public struct Components: Hashable, Sendable, CustomStringConvertible {
        public var year: Int?
        public var month: Int?
        public var day: Int?
        public var hour: Int?
        public var minute: Int?
        public var second: Int?
        public var microsecond: Int?

        public init(year: Int? = nil, month: Int? = nil, day: Int? = nil, hour: Int? = nil,
                    minute: Int? = nil, second: Int? = nil, microsecond: Int? = nil) {
            self.year = year
            self.month = month
            self.day = day
            self.hour = hour
            self.minute = minute
            self.second = second
            self.microsecond = microsecond
        }

        /// The time these components name in `year` (when they have no year of their own); unknown
        /// month and day count as 1, unknown hour, minute, second and microsecond as 0.
        /// - Returns: nil if a component is out of range (February 30, hour 24…).
        public func resolved(year: Int) -> LayoutTime? {
            var copy = self
            if copy.year == nil { copy.year = year }
            return LayoutTime(utc: copy)
        }

        /// True when every component set here has the same value in `other`.
        public func agrees(with other: Components) -> Bool {
            func ok(_ a: Int?, _ b: Int?) -> Bool { a == nil || b == nil || a == b }
            return ok(year, other.year) && ok(month, other.month) && ok(day, other.day) && ok(hour, other.hour)
                && ok(minute, other.minute) && ok(second, other.second) && ok(microsecond, other.microsecond)
        }

        /// The union of two agreeing sets of components (values of `self` win).
        public func filling(from other: Components) -> Components {
            Components(year: year ?? other.year, month: month ?? other.month, day: day ?? other.day,
                       hour: hour ?? other.hour, minute: minute ?? other.minute, second: second ?? other.second,
                       microsecond: microsecond ?? other.microsecond)
        }

        /// `YYYY-MM-DDTHH:MM:SS.ffffff` with `?` for unknown components.
        public var description: String {
            func p(_ v: Int?, _ w: Int) -> String { v.map { String($0).leftPadded(to: w) } ?? String(repeating: "?", count: w) }
            return "\(p(year, 4))-\(p(month, 2))-\(p(day, 2))T\(p(hour, 2)):\(p(minute, 2)):\(p(second, 2)).\(p(microsecond, 6))"
        }
    }

    /// Builds a time from UTC components. The year is required; a missing month or day counts as 1 and
    /// a missing hour, minute, second or microsecond as 0.
    /// - Returns: nil without a year, or if a component is out of range (the day is checked against the month).
    public init?(utc c: Components) {
        guard let year = c.year else { return nil }
        let month = c.month ?? 1, day = c.day ?? 1
        let hour = c.hour ?? 0, minute = c.minute ?? 0, second = c.second ?? 0, micro = c.microsecond ?? 0
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
              (0...999_999).contains(micro) else { return nil }
        let base = Timestamp(utc: Timestamp.Fields(year: year, month: month, day: day, hour: hour, minute: minute,
                                                   second: second, millisecond: 0))
        microsecondsSinceEpoch = base.millisecondsSinceEpoch * 1000 + Int64(micro)
    }

    /// All calendar fields of this time in UTC.
    public var utc: Components {
        let micro = Int(Self.floorMod(microsecondsSinceEpoch, 1_000_000))
        let f = Timestamp(millisecondsSinceEpoch: Self.floorDiv(microsecondsSinceEpoch, 1_000_000) * 1000).utcFields
        return Components(year: f.year, month: f.month, day: f.day, hour: f.hour, minute: f.minute,
                          second: f.second, microsecond: micro)
    }

    /// ISO 8601 in UTC with microseconds: `2023-08-15T23:59:59.000123Z`.
    public var iso8601: String {
        let c = utc
        func p(_ v: Int?, _ w: Int = 2) -> String { String(v ?? 0).leftPadded(to: w) }
        return "\(p(c.year, 4))-\(p(c.month))-\(p(c.day))T\(p(c.hour)):\(p(c.minute)):\(p(c.second)).\(p(c.microsecond, 6))Z"
    }

    public var description: String { iso8601 }

    public static func < (lhs: LayoutTime, rhs: LayoutTime) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    /// The number of days in a month of the proleptic Gregorian calendar; February has 29 when `year` is nil.
    static func daysIn(month: Int, year: Int?) -> Int {
        switch month {
        case 2:
            guard let year else { return 29 }
            return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
}
