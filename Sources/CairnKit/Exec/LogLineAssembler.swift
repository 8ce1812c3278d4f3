/// Cuts one output stream into log lines.
///
/// `\n` and `\r\n` end a line. A segment ended by a lone `\r` is a progress bar redrawing itself:
/// it is logged at most once a second (the latest redraw wins), so a bar stays readable in the log
/// as a few timestamped snapshots instead of thousands of fragments. Over-long lines are cut at
/// ``maxLineBytes``.
struct LogLineAssembler {
    static let maxLineBytes = 64 * 1024
    /// The least time between two logged redraws of a progress bar, in milliseconds.
    static let progressIntervalMilliseconds: Int64 = 1000

    private var line: [UInt8] = []
    private var pendingCarriageReturn = false
    private var heldProgress: [UInt8]?
    private var lastProgressLogged: Int64?

    /// Feeds bytes; returns the complete lines to log (without terminators).
    mutating func feed(_ bytes: some Sequence<UInt8>, now: Int64) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for byte in bytes {
            if pendingCarriageReturn {
                pendingCarriageReturn = false
                if byte == 10 {
                    out.append(line)
                    line.removeAll(keepingCapacity: true)
                    heldProgress = nil
                    continue
                }
                endProgressSegment(now: now, into: &out)
            }
            switch byte {
            case 10:
                out.append(line)
                line.removeAll(keepingCapacity: true)
                heldProgress = nil
            case 13:
                pendingCarriageReturn = true
            default:
                line.append(byte)
                if line.count >= Self.maxLineBytes {
                    out.append(line)
                    line.removeAll(keepingCapacity: true)
                }
            }
        }
        return out
    }

    /// At the end of the stream: what is left.
    mutating func finish() -> [[UInt8]] {
        var out: [[UInt8]] = []
        if !line.isEmpty {
            out.append(line)
        } else if let heldProgress {
            out.append(heldProgress)
        }
        line.removeAll()
        heldProgress = nil
        pendingCarriageReturn = false
        return out
    }

    private mutating func endProgressSegment(now: Int64, into out: inout [[UInt8]]) {
        guard !line.isEmpty else { return }
        if lastProgressLogged.map({ now - $0 >= Self.progressIntervalMilliseconds }) ?? true {
            out.append(line)
            lastProgressLogged = now
            heldProgress = nil
        } else {
            heldProgress = line
        }
        line.removeAll(keepingCapacity: true)
    }
}
