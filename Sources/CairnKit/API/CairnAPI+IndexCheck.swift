import CairnCore

extension CairnAPI {
    /// What `cairn reindex --check` found the index to say that the store's files do not.
    public struct IndexCheck: Codable, Sendable, Equatable {
        /// The index's file.
        public var index: String
        /// How many runs the store's files hold.
        public var runs: Int
        /// Each run the index is wrong about; empty when it is current.
        public var differences: [Difference]

        /// A check's outcome.
        public init(index: String, runs: Int, differences: [Difference]) {
            self.index = index
            self.runs = runs
            self.differences = differences
        }

        /// One run the index is wrong about.
        public struct Difference: Codable, Sendable, Equatable {
            /// The run.
            public var run: RunID
            /// What differs, as a sentence.
            public var problem: String

            /// A difference.
            public init(run: RunID, problem: String) {
                self.run = run
                self.problem = problem
            }
        }
    }
}
