/// One step of a path into a checkpoint's tree: a dict's key (a string, or an integer, as optimizer
/// states use) or a list or tuple's index.
public enum TorchPathComponent: Sendable, Hashable, CustomStringConvertible {
    case key(String)
    case index(Int)

    /// The step that a dict key names: integers stay integers, other keys become text.
    init(key: TorchValue) {
        switch key {
        case .string(let text): self = .key(text)
        case .int(let number): self = .index(number)
        case .bool(let flag): self = .key(flag ? "True" : "False")
        case .float(let number): self = .key(String(number))
        case .none: self = .key("None")
        default: self = .key(key.typeName)
        }
    }

    public var description: String {
        switch self {
        case .key(let text): text
        case .index(let number): String(number)
        }
    }
}
