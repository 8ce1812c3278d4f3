import CairnCore

extension CairnAPI {
    /// What `tb export` wrote: the run's event file, rebuilt with every metric of the run (tags `SPLIT/KEY`).
    public struct TensorBoardExport: Codable, Sendable, Equatable {
        /// The run exported.
        public var run: RunID
        /// The event file, absolute.
        public var path: String
        /// How many scalars it holds.
        public var scalars: Int

        /// An export's report.
        /// - Parameters:
        ///   - run: the run exported.
        ///   - path: the event file written, absolute.
        ///   - scalars: how many scalars it holds.
        public init(run: RunID, path: String, scalars: Int) {
            self.run = run
            self.path = path
            self.scalars = scalars
        }
    }
}
