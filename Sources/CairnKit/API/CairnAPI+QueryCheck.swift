import CairnCore

extension CairnAPI {
    /// Whether a filter and orderings read (`GET /api/cairn/v1/check`): the web UI checks what is typed in
    /// its filter box before it searches, so a mistake is shown at its column without a failed request.
    public struct QueryCheck: Codable, Sendable, Equatable {
        /// True when the filter and every ordering read.
        public var valid: Bool
        /// What is wrong, as the search's error says it; null when valid.
        public var message: String?
        /// Where: the column of the filter's (or the ordering's) text, from 1; null when valid.
        public var column: Int?
        /// `filter` or `ordering`: which text the column is in; null when valid.
        public var part: String?

        public init(valid: Bool, message: String? = nil, column: Int? = nil, part: String? = nil) {
            self.valid = valid
            self.message = message
            self.column = column
            self.part = part
        }

        /// The check of a filter and orderings as the search reads them.
        /// - Parameters:
        ///   - filter: the filter's text (empty: no filter).
        ///   - orderings: the orderings' texts.
        public init(filter: String, orderings: [String]) {
            do {
                _ = try RunFilter(parsing: filter)
            } catch {
                self.init(valid: false, message: CairnError(error, in: filter).message, column: error.column, part: "filter")
                return
            }
            for ordering in orderings {
                do {
                    _ = try RunOrdering(parsing: ordering)
                } catch {
                    self.init(valid: false, message: CairnError(error, in: ordering, what: "ordering").message, column: error.column, part: "ordering")
                    return
                }
            }
            self.init(valid: true)
        }

        enum CodingKeys: String, CodingKey {
            case valid, message, column, part
        }

        /// Encodes every key, absent values as `null` (never a missing key), as ``CairnJSON`` writes it.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(valid, forKey: .valid)
            try c.encode(message, forKey: .message)
            try c.encode(column, forKey: .column)
            try c.encode(part, forKey: .part)
        }
    }
}
