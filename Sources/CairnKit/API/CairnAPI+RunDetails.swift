import CairnCore

extension CairnAPI {
    /// A run with its params and tags (`run show`, `run tag`, `run param`): the keys of ``Run`` plus
    /// `params` and `tags`, in one object.
    public struct RunDetails: Codable, Sendable, Equatable {
        /// The run.
        public var run: Run
        /// Params by key, each with its typed value and its text.
        public var params: [String: Param]
        /// Tags by key (text).
        public var tags: [String: String]

        /// A run's details.
        /// - Parameters:
        ///   - run: the run.
        ///   - params: its params by key, typed.
        ///   - tags: its tags by key.
        public init(run: Run, params: [String: Param], tags: [String: String]) {
            self.run = run
            self.params = params
            self.tags = tags
        }

        enum CodingKeys: String, CodingKey {
            case params, tags
        }

        /// Decodes the keys of ``Run`` and `params` and `tags` from one object.
        /// - Parameter decoder: the decoder to read from.
        /// - Throws: `DecodingError` when a key is missing or of the wrong type.
        public init(from decoder: any Decoder) throws {
            run = try Run(from: decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            params = try c.decode([String: Param].self, forKey: .params)
            tags = try c.decode([String: String].self, forKey: .tags)
        }

        /// Encodes the keys of ``Run`` and `params` and `tags` into one object.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            try run.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(params, forKey: .params)
            try c.encode(tags, forKey: .tags)
        }
    }
}
