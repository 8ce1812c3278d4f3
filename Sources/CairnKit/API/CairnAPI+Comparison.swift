import CairnCore

extension CairnAPI {
    /// Runs side by side (`cairn compare`): each run's status, duration and best checkpoint, the params
    /// that differ, and each metric's last, min and max.
    public struct Comparison: Codable, Sendable, Equatable {
        /// The runs, in the order asked for.
        public var runs: [ComparedRun]
        /// The params whose values are not the same in every run (a run lacking one has null).
        public var params: [ValuesRow]
        /// How many params every run has with the same value (not listed).
        public var sameParams: Int
        /// Every metric any run has, by name (``MetricName``), with each run's summary (null where lacking).
        public var metrics: [MetricRow]

        /// A comparison.
        public init(runs: [ComparedRun], params: [ValuesRow], sameParams: Int, metrics: [MetricRow]) {
            self.runs = runs
            self.params = params
            self.sameParams = sameParams
            self.metrics = metrics
        }

        enum CodingKeys: String, CodingKey {
            case runs, params, metrics
            case sameParams = "same_params"
        }

        /// One run of a comparison.
        public struct ComparedRun: Codable, Sendable, Equatable {
            public var id: RunID
            public var name: String?
            public var experiment: String
            public var status: RunStatus
            public var durationSeconds: Double?
            /// The run's best checkpoint under its policy, if any.
            public var bestCheckpoint: BestCheckpoint?

            /// A compared run.
            public init(id: RunID, name: String?, experiment: String, status: RunStatus, durationSeconds: Double?,
                        bestCheckpoint: BestCheckpoint?) {
                self.id = id
                self.name = name
                self.experiment = experiment
                self.status = status
                self.durationSeconds = durationSeconds
                self.bestCheckpoint = bestCheckpoint
            }

            enum CodingKeys: String, CodingKey {
                case id, name, experiment, status
                case durationSeconds = "duration_seconds"
                case bestCheckpoint = "best_checkpoint"
            }

            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(id, forKey: .id)
                try c.encode(name, forKey: .name)
                try c.encode(experiment, forKey: .experiment)
                try c.encode(status, forKey: .status)
                try c.encode(durationSeconds, forKey: .durationSeconds)
                try c.encode(bestCheckpoint, forKey: .bestCheckpoint)
            }
        }

        /// A run's best checkpoint: its path in the run folder, step, epoch and recorded metrics.
        public struct BestCheckpoint: Codable, Sendable, Equatable {
            public var path: String
            public var step: Int?
            public var epoch: Int?
            public var metrics: [String: Double]

            /// A best checkpoint.
            public init(path: String, step: Int?, epoch: Int?, metrics: [String: Double]) {
                self.path = path
                self.step = step
                self.epoch = epoch
                self.metrics = metrics
            }

            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(path, forKey: .path)
                try c.encode(step, forKey: .step)
                try c.encode(epoch, forKey: .epoch)
                try c.encode(metrics, forKey: .metrics)
            }
        }

        /// A param's value in each run (null where a run lacks it).
        public struct ValuesRow: Codable, Sendable, Equatable {
            public var key: String
            public var values: [String?]

            /// A row.
            public init(key: String, values: [String?]) {
                self.key = key
                self.values = values
            }
        }

        /// A metric's summary in each run (null where a run lacks it).
        public struct MetricRow: Codable, Sendable, Equatable {
            public var name: String
            public var values: [MetricSummary?]

            /// A row.
            public init(name: String, values: [MetricSummary?]) {
                self.name = name
                self.values = values
            }
        }
    }
}
