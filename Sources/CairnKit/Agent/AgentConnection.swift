import Glibc
import CairnCore

/// One client's connection: reads requests line by line, answers each in order. The first request is
/// `hello`, which names the client (its pid and rank) and, for `cairn agent`, the run to create.
struct AgentConnection {
    let input: Int32
    let output: Int32
    /// Whether the descriptors are a socket (answers are sent without raising SIGPIPE).
    let isSocket: Bool

    /// Serves requests until the client closes its end (or stops answering reads).
    /// - Parameter session: gives the session for the `hello` request (creating the run if need be).
    /// - Returns: the session, once there was one.
    @discardableResult
    func serve(session makeSession: (ConfigValue) throws(CairnError) -> AgentSession) -> AgentSession? {
        var reader = LineReader(fd: input)
        var session: AgentSession?
        var client = AgentClient()
        var packed = PackedPoints()
        while let line = reader.next() {
            var id = ConfigValue.null
            let answer: [UInt8]
            do throws(CairnError) {
                guard line.count <= AgentProtocol.maximumLineBytes else {
                    throw CairnError(.invalidValue, "a request to the Cairn agent is longer than \(AgentProtocol.maximumLineBytes >> 20) MiB",
                                     hint: "send metrics in smaller batches")
                }
                let request = try AgentProtocol.parse(line)
                id = request["id"] ?? .null
                guard let op = request["op"]?.string else {
                    throw CairnError(.invalidValue, "a request to the Cairn agent has no 'op'", hint: "see docs/FORMAT.md ('Agent protocol')")
                }
                if op == "hello" {
                    if let version = request["protocol"]?.int, version > AgentProtocol.version {
                        throw CairnError(.unsupportedFormat, "the client speaks agent protocol \(version); this cairn speaks \(AgentProtocol.version)",
                                         hint: "update the cairn binary, or install the Python package that came with it")
                    }
                    client.pid = Int32(clamping: request["pid"]?.int ?? 0)
                    client.rank = Int(clamping: request["rank"]?.int ?? 0)
                    client.mayWriteCheckpoints = client.rank == 0 || request["all_ranks"]?.bool == true
                    if session == nil { session = try makeSession(request) }
                }
                // A packed log's points follow its line as bytes: read them whatever happens next.
                var payload: [UInt8] = []
                if op == "log_packed" {
                    guard let count = request["count"]?.int, count >= 0, count <= AgentProtocol.maximumLineBytes / PackedPoints.pointBytes else {
                        throw CairnError(.invalidValue, "a 'log_packed' request needs a 'count' of points", hint: "see docs/FORMAT.md ('Agent protocol')")
                    }
                    guard let bytes = reader.take(Int(count) * PackedPoints.pointBytes) else { break }
                    payload = bytes
                }
                guard let session else {
                    throw CairnError(.invalidValue, "the first request to the Cairn agent must be 'hello'", hint: "see docs/FORMAT.md ('Agent protocol')")
                }
                if op == "log_packed" {
                    try session.log(try packed.decode(request, payload))
                    answer = AgentProtocol.success(id: id, result: "null")
                } else {
                    answer = AgentProtocol.success(id: id, result: try session.handle(op, request, client: client))
                }
            } catch {
                answer = AgentProtocol.failure(id: id, error)
            }
            guard send(answer) else { break }
        }
        return session
    }

    /// Writes an answer whole; false once the client is gone.
    private func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw -> Bool in
            var done = 0
            while done < raw.count {
                let n = isSocket ? Glibc.send(output, raw.baseAddress! + done, raw.count - done, Int32(MSG_NOSIGNAL))
                                 : write(output, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                done += n
            }
            return true
        }
    }

    /// Lines from a descriptor, read in large blocks.
    struct LineReader {
        let fd: Int32
        var buffer: [UInt8] = []
        var start = 0
        var ended = false

        init(fd: Int32) { self.fd = fd }

        /// The next `count` bytes (after a line), nil if the stream ends first.
        mutating func take(_ count: Int) -> [UInt8]? {
            while buffer.count - start < count {
                if ended { return nil }
                var block = [UInt8](repeating: 0, count: max(1 << 16, min(count, 1 << 24)))
                let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { ended = true; continue }
                buffer.append(contentsOf: block[..<n])
            }
            let bytes = Array(buffer[start..<(start + count)])
            start += count
            if start > 1 << 20 {
                buffer.removeFirst(start)
                start = 0
            }
            return bytes
        }

        /// The next line without its newline; nil at the end (a last line without newline is dropped:
        /// the client died while sending it).
        mutating func next() -> [UInt8]? {
            var searched = start
            while true {
                if let newline = buffer[searched...].firstIndex(of: 10) {
                    let line = Array(buffer[start..<newline])
                    start = newline + 1
                    if start > 1 << 20 {
                        buffer.removeFirst(start)
                        start = 0
                    }
                    return line
                }
                searched = buffer.count
                if ended { return nil }
                var block = [UInt8](repeating: 0, count: 1 << 16)
                let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { ended = true; continue }
                buffer.append(contentsOf: block[..<n])
            }
        }
    }
}
