/// The tool whose own files a layout reads beside its paths (`tool:` in a layout): what its
/// ``LayoutRole/toolRecord`` and ``LayoutRole/toolMetrics`` files hold and how to read them.
public enum ToolFormat: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Sacred's FileStorageObserver: `run.json` (status, start and stop time, host, command, git
    /// repositories) and `metrics.json` (`{name: {steps, values, timestamps}}`).
    case sacred

    public var description: String { rawValue }
}
