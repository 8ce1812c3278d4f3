extension EventFileWriter {
    /// A framed `SessionLog` START event at `step`: what TensorBoard's `SummaryWriter(purge_step=step)`
    /// writes when a training restarts from a checkpoint. A reader that purges orphaned data (TensorBoard
    /// does, by default) drops the points of this file at `step` and after that came before it: those of
    /// the attempt that was cut short.
    ///
    /// Wire layout: `Event{wall_time=1 double, step=2 int64, session_log=7 SessionLog{status=1 enum: START=1}}`.
    /// - Parameters:
    ///   - step: the first step the restarted training logs again.
    ///   - wallTime: seconds since the Unix epoch.
    /// - Returns: one TFRecord, framed with its CRCs.
    public static func encodeSessionStart(step: Int64, wallTime: Double) -> [UInt8] {
        var event: [UInt8] = [0x09]
        withUnsafeBytes(of: wallTime.bitPattern.littleEndian) { event += $0 }
        if step != 0 {
            event.append(0x10)
            var value = UInt64(bitPattern: step)
            while value >= 0x80 {
                event.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            event.append(UInt8(value))
        }
        event += [0x3A, 0x02, 0x08, 0x01]
        var writer = TFRecordWriter()
        writer.append(event)
        return writer.bytes
    }
}
