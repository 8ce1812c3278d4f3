/// A point waiting in a ``MetricLogger``'s buffer: plain values only (the key and split are an index
/// into the logger's ``MetricSeriesTable``), so buffering one costs no reference counting.
struct PendingPoint {
    /// The series (split and key).
    var series: Int32
    var step: Int64
    var epoch: Int?
    /// Seconds since the Unix epoch, or nil.
    var time: Double?
    var value: Double
}
