/// The one error type Cairn's library throws.
///
/// A `CairnError` says what failed, on which path or value, and what to do about it, in a single line
/// (`description`). Callers that need to branch on the failure use ``kind``; new kinds can be added
/// without breaking them because ``Kind`` is a struct, not an enum (STYLE.md §10).
public struct CairnError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The category of a failure, for callers that map errors (to exit codes, HTTP statuses, …).
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let invalidName = Kind("invalid-name")
        public static let invalidValue = Kind("invalid-value")
        public static let invalidConfig = Kind("invalid-config")
        public static let typeMismatch = Kind("type-mismatch")
        public static let notFound = Kind("not-found")
        public static let ambiguous = Kind("ambiguous")
        public static let alreadyExists = Kind("already-exists")
        public static let conflict = Kind("conflict")
        public static let storeNotFound = Kind("store-not-found")
        public static let unsupportedFormat = Kind("unsupported-format")
        public static let corrupt = Kind("corrupt")
        public static let permissionDenied = Kind("permission-denied")
        public static let io = Kind("io")
        public static let busy = Kind("busy")
        public static let layout = Kind("layout")
        public static let process = Kind("process")
        /// A service the store is configured with (its PostgreSQL index) cannot be reached now: try again.
        public static let unavailable = Kind("unavailable")
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// What failed, with the path or value involved.
    public let message: String
    /// What the user can do about it, if anything.
    public let hint: String?
    /// The underlying cause, as text (kept so nothing is lost when errors are wrapped).
    public let cause: String?

    public init(_ kind: Kind, _ message: String, hint: String? = nil, cause: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.cause = cause
    }

    /// One line: the message, the cause if any, then the hint.
    public var description: String {
        var line = message
        if let cause, !cause.isEmpty { line += " (\(cause))" }
        if let hint, !hint.isEmpty { line += "; \(hint)" }
        return line
    }
}
