/// Who is on the other end of a connection, as its `hello` said: its process and its rank in a
/// data-parallel training (`RANK`, as torchrun sets it).
struct AgentClient: Sendable {
    var pid: Int32 = 0
    var rank: Int = 0
    /// Whether this client saves checkpoints: rank 0, or any rank that asked to (`all_ranks`).
    var mayWriteCheckpoints = true
}
