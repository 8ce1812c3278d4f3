import CairnCore

extension CairnAPI {
    /// A checkpoint a policy pruned, or would prune (`ckpt prune`, `ckpt save`).
    public struct PrunedCheckpoint: Codable, Sendable, Equatable {
        /// Its sequence number in the run's manifest.
        public var seq: Int
        /// Where it was, absolute.
        public var path: String
        /// Where it was, relative to the run folder.
        public var relativePath: String
        /// Why the policy does not keep it.
        public var reason: String

        /// A pruned checkpoint of the run in `runFolder`.
        /// - Parameters:
        ///   - seq: its sequence number in the run's manifest.
        ///   - relativePath: where it was, relative to the run folder.
        ///   - reason: why the policy does not keep it.
        ///   - runFolder: the run folder, absolute (``path`` is made from it).
        public init(seq: Int, relativePath: String, reason: String, runFolder: String) {
            self.seq = seq
            self.relativePath = relativePath
            path = Paths.join(runFolder, relativePath)
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case seq, path, reason
            case relativePath = "relative_path"
        }
    }
}
