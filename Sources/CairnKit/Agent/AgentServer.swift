import Glibc
import CairnCore
import Dispatch
import Synchronization

/// Serves a run's agent protocol on a Unix domain socket (`cairn exec`, whose command finds the path
/// in `CAIRN_SOCKET`): any number of clients (a training's ranks) at once, each on its own thread,
/// sharing one ``AgentSession``, made when the first client says `hello`.
public final class AgentServer: Sendable {
    /// The socket's path.
    public let path: String
    private let listener: Int32
    private let makeSession: @Sendable () throws(CairnError) -> AgentSession
    private let state = Mutex(State())
    private let done = DispatchGroup()

    private struct State {
        var session: AgentSession?
        var connections: Set<Int32> = []
        var stopped = false
    }

    /// A server for `run`, listening (but not accepting until ``start()``).
    /// - Parameters:
    ///   - environment: where `XDG_RUNTIME_DIR` is read.
    ///   - makeSession: makes the session on the first `hello`.
    /// - Throws: `CairnError` when the socket cannot be made.
    public init(run: RunID, environment: [String: String],
                makeSession: @escaping @Sendable () throws(CairnError) -> AgentSession) throws(CairnError) {
        let path = try AgentSocketPath.make(for: run, environment: environment)
        self.path = path
        self.makeSession = makeSession
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError.make("create the agent socket", path: path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, chmod(path, 0o600) == 0, listen(fd, 64) == 0 else {
            let error = SystemError.make("listen on the agent socket", path: path)
            close(fd)
            unlink(path)
            throw error
        }
        listener = fd
    }

    /// The session, once a client has said `hello`.
    public var session: AgentSession? { state.withLock { $0.session } }

    /// Accepts clients on another thread until ``stop()``.
    public func start() {
        done.enter()
        DispatchQueue.global().async { [self] in
            defer { done.leave() }
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    return
                }
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                let admitted = state.withLock { state -> Bool in
                    guard !state.stopped else { return false }
                    state.connections.insert(client)
                    return true
                }
                guard admitted else { close(client); return }
                done.enter()
                DispatchQueue.global().async { [self] in
                    defer { done.leave() }
                    AgentConnection(input: client, output: client, isSocket: true).serve { _ throws(CairnError) in try sharedSession() }
                    state.withLock { _ = $0.connections.remove(client) }
                    close(client)
                }
            }
        }
    }

    private func sharedSession() throws(CairnError) -> AgentSession {
        try state.withLock { state throws(CairnError) -> AgentSession in
            if let session = state.session { return session }
            let session = try makeSession()
            state.session = session
            return session
        }
    }

    /// Stops accepting, ends every connection (their requests in progress finish first), waits for
    /// their threads, and removes the socket.
    public func stop() {
        let open = state.withLock { state -> Set<Int32> in
            state.stopped = true
            return state.connections
        }
        shutdown(listener, Int32(SHUT_RDWR))
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
        done.wait()
        close(listener)
        unlink(path)
    }
}
