import Glibc
import CairnCore

extension Store {
    /// `cairn agent`: serves the agent protocol to one client on a pair of descriptors (the pipes of the
    /// client that started it), for a run the client's `hello` creates from its `init` object
    /// (experiment, name, config or config_path, overrides, tags, command, cwd, git, tensorboard), or
    /// joins the existing run its `init` names (`run`: a rank on a host that cannot reach exec's socket).
    /// Returns when the client closes its end: a client that did not `finish` the run (it died) leaves
    /// it KILLED, after its metrics are flushed and its checkpoint saves are done.
    /// - Returns: the run, if one was created.
    /// - Throws: `CairnError` when ending the run fails; a request's error goes to the client instead.
    public func serveAgent(input: Int32, output: Int32) throws(CairnError) -> Run? {
        let connection = AgentConnection(input: input, output: output, isSocket: false)
        let session = connection.serve { hello throws(CairnError) in
            let tensorBoard = hello["init"]?["tensorboard"]?.bool ?? true
            // A rank whose host cannot reach exec's socket joins exec's run, which exec ends.
            if let id = hello["init"]?["run"]?.string {
                return try AgentSession(store: self, run: try run(at: try resolveRun(id)), ownsRun: false, tensorBoard: tensorBoard)
            }
            let run = try createRun(try Self.agentRunRequest(hello["init"]))
            return try AgentSession(store: self, run: run, ownsRun: true, tensorBoard: tensorBoard)
        }
        guard let session else { return nil }
        try session.close(status: session.finishedStatus ?? .killed)
        return try run(at: try resolveRun(session.run.id.value))
    }

    /// The run a client's `init` asks for.
    static func agentRunRequest(_ value: ConfigValue?) throws(CairnError) -> RunRequest {
        guard let value, let experimentText = value["experiment"]?.string else {
            throw CairnError(.invalidValue, "the agent's 'hello' needs 'init' with an 'experiment'",
                             hint: "call cairn.init(experiment=...) (or run the script under 'cairn exec')")
        }
        let overrides = try (value["overrides"]?.list ?? []).map { (item: ConfigValue) throws(CairnError) -> String in
            guard let text = item.string else { throw CairnError(.invalidValue, "an override is not a string", hint: "write overrides as 'key=value'") }
            return text
        }
        var config: ConfigValue?
        var source: String?
        if let path = value["config_path"]?.string {
            (config, source) = try RunConfig.load(path: path, overrides: overrides)
        } else if let object = value["config"], !object.isNull {
            guard case .mapping = object else {
                throw CairnError(.invalidConfig, "the config given to cairn.init is not a mapping", hint: "pass a dict (or the path of a YAML file)")
            }
            config = try object.applying(try overrides.map { (text: String) throws(CairnError) in try ConfigOverride(parsing: text) },
                                                      addsAnyKey: false)
        } else if !overrides.isEmpty {
            (config, source) = try RunConfig.load(path: nil, overrides: overrides)
        }
        let tags = try AgentSession.texts(value["tags"] ?? .mapping(ConfigMapping()), what: "tags")
        let command = (value["command"]?.list ?? []).compactMap(\.string)
        return RunRequest(experiment: try ExperimentName(experimentText), name: value["name"]?.string, config: config,
                          configSource: source, configOverrides: overrides, tags: tags, command: command,
                          workingDirectory: value["cwd"]?.string, captureGit: value["git"]?.bool ?? true,
                          owner: .currentProcess)
    }
}
