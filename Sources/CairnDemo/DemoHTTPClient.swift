import CairnCore
import Foundation
import Glibc

/// A small HTTP/1.1 client on one kept-alive connection to `127.0.0.1`: what the demo sends to its
/// in-process `cairn serve`, the requests an MLflow client would make (JSON bodies, answers read whole).
final class DemoHTTPClient {
    private let descriptor: Int32
    private var pending: [UInt8] = []
    /// How many requests were made.
    private(set) var requests = 0

    /// Connects.
    /// - Throws: `CairnError` when nothing listens on the port.
    init(port: Int) throws(CairnError) {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw CairnError(.io, "cannot open a socket", hint: "check the system's limits") }
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw CairnError(.io, "cannot connect to 127.0.0.1:\(port)", hint: "the demo's server did not start")
        }
    }

    deinit { close(descriptor) }

    /// Sends a request and reads its answer.
    /// - Returns: the status, the body parsed as JSON (nil when it is not JSON) and the headers (names in
    ///   lower case).
    func send(_ method: String, _ path: String, json body: Any? = nil) throws(CairnError) -> (status: Int, body: Any?, headers: [String: String]) {
        requests += 1
        let payload = try body.map { (value) throws(CairnError) -> Data in
            do { return try JSONSerialization.data(withJSONObject: value) } catch {
                throw CairnError(.invalidValue, "cannot encode a request to \(path)", cause: "\(error)")
            }
        } ?? Data()
        var request = Array("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(payload.count)\r\n\r\n".utf8)
        request += payload
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw CairnError(.io, "the demo's server closed the connection", hint: "see the messages above") }
            sent += count
        }
        let head = try readHead()
        guard let statusText = head.first?.split(separator: " ").dropFirst().first, let status = Int(statusText) else {
            throw CairnError(.io, "the demo's server answered something that is not HTTP", hint: "see the messages above")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        let bytes = try read(headers["content-length"].flatMap { Int($0) } ?? 0)
        return (status, try? JSONSerialization.jsonObject(with: Data(bytes)), headers)
    }

    /// The status line and headers, up to the empty line.
    private func readHead() throws(CairnError) -> [String] {
        while true {
            if let end = pending.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: pending[..<end.lowerBound], as: UTF8.self)
                pending.removeSubrange(..<end.upperBound)
                return head.components(separatedBy: "\r\n")
            }
            try fill()
        }
    }

    private func read(_ count: Int) throws(CairnError) -> [UInt8] {
        while pending.count < count { try fill() }
        let bytes = Array(pending.prefix(count))
        pending.removeFirst(count)
        return bytes
    }

    private func fill() throws(CairnError) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw CairnError(.io, "the demo's server closed the connection", hint: "see the messages above") }
        pending += buffer[..<count]
    }
}
