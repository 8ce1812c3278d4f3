import CairnCore

extension CairnError {
    /// The message and its cause, without the hint: for a warning that says what follows itself.
    var messageWithCause: String {
        guard let cause, !cause.isEmpty else { return message }
        return "\(message) (\(cause))"
    }
}
