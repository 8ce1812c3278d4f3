import CairnCore

extension CairnAPI {
    /// What `metric log` wrote.
    public struct MetricLog: Codable, Sendable, Equatable {
        /// The run logged to.
        public var run: RunID
        /// The split the points were logged to (`train`, `eval`…).
        public var split: String
        /// How many points were appended.
        public var points: Int
        /// True when the run's live TensorBoard event file received them too.
        public var liveTensorBoard: Bool

        /// A metric log's report.
        /// - Parameters:
        ///   - run: the run logged to.
        ///   - split: the split logged to.
        ///   - points: how many points were appended.
        ///   - liveTensorBoard: whether the run's live event file received them too.
        public init(run: RunID, split: String, points: Int, liveTensorBoard: Bool) {
            self.run = run
            self.split = split
            self.points = points
            self.liveTensorBoard = liveTensorBoard
        }

        enum CodingKeys: String, CodingKey {
            case run, split, points
            case liveTensorBoard = "live_tensorboard"
        }
    }
}
