import CairnCore

/// The answer to `hello`: the protocol version, the run (as `run show --json` shows it), its config
/// snapshot and its folder.
public struct AgentHello: Encodable, Sendable {
    public var protocolVersion: Int
    public var run: CairnAPI.RunDetails
    public var config: ConfigValue
    public var runDirectory: String

    enum CodingKeys: String, CodingKey {
        case protocolVersion = "protocol"
        case run, config
        case runDirectory = "run_dir"
    }
}
