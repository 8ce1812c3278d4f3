/// Which checkpoint of a run a user means: `best`, `last`, `epoch=N` or `step=N`.
public enum CheckpointSelector: Sendable, Hashable, CustomStringConvertible {
    /// The checkpoint a pointer names (`best`, `last`, or another pointer).
    case pointer(String)
    /// The newest kept checkpoint at this epoch.
    case epoch(Int)
    /// The newest kept checkpoint at this global step.
    case step(Int)

    /// The spellings a user may give, for help texts.
    public static let spellings = ["best", "last", "epoch=N", "step=N"]

    /// Reads `best`, `last`, `epoch=N` or `step=N` (N a non-negative integer); nil for anything else.
    public init?(_ text: String) {
        if text == "best" || text == "last" {
            self = .pointer(text)
            return
        }
        guard let assignment = Assignment(text), let number = Int(assignment.value), number >= 0 else { return nil }
        switch assignment.key {
        case "epoch": self = .epoch(number)
        case "step": self = .step(number)
        default: return nil
        }
    }

    /// Reads a selector, or says what is wrong.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidValue`` naming the text and the spellings.
    public init(parsing text: String) throws(CairnError) {
        guard let selector = CheckpointSelector(text) else {
            throw CairnError(.invalidValue, "\(NameComponent.quoted(text)) is not best, last, epoch=N or step=N",
                             hint: "e.g. cairn ckpt path RUN epoch=10")
        }
        self = selector
    }

    /// `best`, `epoch=10`, `step=1200`.
    public var description: String {
        switch self {
        case .pointer(let name): name
        case .epoch(let n): "epoch=\(n)"
        case .step(let n): "step=\(n)"
        }
    }
}
