extension CairnAPI {
    /// The params, metrics and tags a set of runs has, for choosing what a runs table shows (the web UI's
    /// column chooser, `GET /api/cairn/v1/keys`): each key with how many of the runs have it and how many
    /// distinct values they hold (a param whose runs all agree is no use as a column).
    public struct RunKeys: Codable, Sendable, Equatable {
        /// How many runs were examined (the newest ones, at most the limit asked).
        public var runs: Int
        /// Params by key, sorted.
        public var params: [Key]
        /// Metrics by name (`loss`, `eval/loss`: ``CairnCore/MetricName``), sorted.
        public var metrics: [Key]
        /// Tags by key, sorted.
        public var tags: [Key]

        /// One key: how many runs have it, and how many distinct values (texts; for a metric, last values).
        public struct Key: Codable, Sendable, Equatable {
            public var key: String
            public var runs: Int
            public var values: Int

            public init(key: String, runs: Int, values: Int) {
                self.key = key
                self.runs = runs
                self.values = values
            }
        }

        public init(runs: Int, params: [Key], metrics: [Key], tags: [Key]) {
            self.runs = runs
            self.params = params
            self.metrics = metrics
            self.tags = tags
        }
    }
}
