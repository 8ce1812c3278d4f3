import CairnCore

extension CairnAPI {
    /// A run with its params and tags (`run show`, `run tag`, `run param`): the keys of ``Run`` plus
    /// `params`, `tags` and the experiment its experiment continues from (`parent_experiment_id`,
    /// `parent_experiment`, null when none), in one object.
    public struct RunDetails: Codable, Sendable, Equatable {
        /// The run.
        public var run: Run
        /// Params by key, each with its typed value and its text.
        public var params: [String: Param]
        /// Tags by key (text).
        public var tags: [String: String]
        /// The experiment the run's experiment continues from (a fine-tuning's pre-training), if known.
        public var parentExperimentID: ExperimentID?
        /// That experiment's name.
        public var parentExperiment: String?

        /// A run's details.
        /// - Parameters:
        ///   - run: the run.
        ///   - params: its params by key, typed.
        ///   - tags: its tags by key.
        ///   - parentExperimentID: the experiment its experiment continues from, if known.
        ///   - parentExperiment: that experiment's name.
        public init(run: Run, params: [String: Param], tags: [String: String], parentExperimentID: ExperimentID? = nil,
                    parentExperiment: String? = nil) {
            self.run = run
            self.params = params
            self.tags = tags
            self.parentExperimentID = parentExperimentID
            self.parentExperiment = parentExperiment
        }

        enum CodingKeys: String, CodingKey {
            case params, tags
            case parentExperimentID = "parent_experiment_id"
            case parentExperiment = "parent_experiment"
        }

        /// Decodes the keys of ``Run`` and `params` and `tags` from one object.
        /// - Parameter decoder: the decoder to read from.
        /// - Throws: `DecodingError` when a key is missing or of the wrong type.
        public init(from decoder: any Decoder) throws {
            run = try Run(from: decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            params = try c.decode([String: Param].self, forKey: .params)
            tags = try c.decode([String: String].self, forKey: .tags)
            parentExperimentID = try c.decodeIfPresent(ExperimentID.self, forKey: .parentExperimentID)
            parentExperiment = try c.decodeIfPresent(String.self, forKey: .parentExperiment)
        }

        /// Encodes the keys of ``Run`` and `params` and `tags` into one object.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            try run.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(params, forKey: .params)
            try c.encode(tags, forKey: .tags)
            try c.encode(parentExperimentID, forKey: .parentExperimentID)
            try c.encode(parentExperiment, forKey: .parentExperiment)
        }
    }
}
