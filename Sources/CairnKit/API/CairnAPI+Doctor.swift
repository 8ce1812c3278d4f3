import CairnCore

extension CairnAPI {
    /// What `cairn doctor` found in a store, and with `--fix` what it repaired: run folders deleted by
    /// hand, checkpoints whose file is gone, stable names (`best`, `last`) that lead elsewhere than the
    /// manifest says, saves left pending and temporaries of processes that are gone.
    public struct Doctor: Codable, Sendable, Equatable {
        /// A registered run whose folder is gone.
        public struct MissingRun: Codable, Sendable, Equatable {
            /// The run's id.
            public var run: RunID
            /// Its experiment's name.
            public var experiment: String
            /// Where its folder was, absolute.
            public var folder: String
            /// True when `--fix` removed it from the registry.
            public var fixed: Bool
        }

        /// A kept checkpoint whose file or folder is gone.
        public struct MissingCheckpoint: Codable, Sendable, Equatable {
            /// The run it belongs to.
            public var run: RunID
            /// Its sequence number in the run's manifest.
            public var seq: Int
            /// Where it was, absolute.
            public var path: String
            /// True when `--fix` recorded it as pruned (its pointers moved to checkpoints that exist).
            public var fixed: Bool
        }

        /// A stable name that does not lead where the run's manifest says.
        public struct Pointer: Codable, Sendable, Equatable {
            /// The run it belongs to.
            public var run: RunID
            /// The pointer's name (`best`, `last`, `best_score`).
            public var pointer: String
            /// The stable name, absolute.
            public var path: String
            /// `dangling` (nothing there), `misplaced` (another checkpoint there) or `moved` (it names a
            /// checkpoint that is gone and moves to the best or last that exists).
            public var problem: String
            /// The checkpoint it should lead to, absolute; null when none exists (the name is removed).
            public var checkpoint: String?
            /// True when `--fix` repaired it.
            public var fixed: Bool

            enum CodingKeys: String, CodingKey { case run, pointer, path, problem, checkpoint, fixed }

            /// Encodes every key, an absent checkpoint as `null`.
            /// - Parameter encoder: the encoder to write to.
            /// - Throws: what the encoder throws.
            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(run, forKey: .run)
                try c.encode(pointer, forKey: .pointer)
                try c.encode(path, forKey: .path)
                try c.encode(problem, forKey: .problem)
                try c.encode(checkpoint, forKey: .checkpoint)
                try c.encode(fixed, forKey: .fixed)
            }
        }

        /// A save begun and never committed nor aborted (its process died).
        public struct PendingSave: Codable, Sendable, Equatable {
            /// The run it belongs to.
            public var run: RunID
            /// Its sequence number in the run's manifest.
            public var seq: Int
            /// True when `--fix` recovered it (committed when its bytes are in place, else aborted).
            public var fixed: Bool
        }

        /// A temporary file or folder (`.cairn-tmp-…`) whose writer is gone.
        public struct Temporary: Codable, Sendable, Equatable {
            /// Where it is, absolute.
            public var path: String
            /// True when `--fix` removed it.
            public var fixed: Bool
        }

        /// The store's root, absolute.
        public var store: String
        /// True when the doctor repaired what it could (`--fix`).
        public var fix: Bool
        /// Registered runs whose folder is gone.
        public var missingRunFolders: [MissingRun]
        /// Kept checkpoints whose file or folder is gone.
        public var missingCheckpoints: [MissingCheckpoint]
        /// Stable names that do not lead where the manifest says.
        public var pointers: [Pointer]
        /// Saves left pending by a process that died.
        public var pendingSaves: [PendingSave]
        /// Temporaries of writers that are gone.
        public var abandonedTemporaries: [Temporary]

        /// An empty report for a store.
        /// - Parameters:
        ///   - store: the store's root.
        ///   - fix: whether the doctor repairs what it finds.
        public init(store: String, fix: Bool) {
            self.store = store
            self.fix = fix
            missingRunFolders = []
            missingCheckpoints = []
            pointers = []
            pendingSaves = []
            abandonedTemporaries = []
        }

        /// How many problems were found.
        public var found: Int {
            missingRunFolders.count + missingCheckpoints.count + pointers.count + pendingSaves.count + abandonedTemporaries.count
        }

        /// How many problems are left: all of them without `--fix`, those it could not repair with it.
        public var remaining: Int {
            missingRunFolders.count { !$0.fixed } + missingCheckpoints.count { !$0.fixed } + pointers.count { !$0.fixed }
                + pendingSaves.count { !$0.fixed } + abandonedTemporaries.count { !$0.fixed }
        }

        /// True when nothing is left to repair.
        public var healthy: Bool { remaining == 0 }

        enum CodingKeys: String, CodingKey {
            case store, fix, pointers, found, remaining, healthy
            case missingRunFolders = "missing_run_folders"
            case missingCheckpoints = "missing_checkpoints"
            case pendingSaves = "pending_saves"
            case abandonedTemporaries = "abandoned_temporaries"
        }

        /// Decodes a report (`found`, `remaining` and `healthy` are computed, not read).
        /// - Parameter decoder: the decoder to read from.
        /// - Throws: what the decoder throws for a missing or mistyped key.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            store = try c.decode(String.self, forKey: .store)
            fix = try c.decode(Bool.self, forKey: .fix)
            missingRunFolders = try c.decode([MissingRun].self, forKey: .missingRunFolders)
            missingCheckpoints = try c.decode([MissingCheckpoint].self, forKey: .missingCheckpoints)
            pointers = try c.decode([Pointer].self, forKey: .pointers)
            pendingSaves = try c.decode([PendingSave].self, forKey: .pendingSaves)
            abandonedTemporaries = try c.decode([Temporary].self, forKey: .abandonedTemporaries)
        }

        /// Encodes the report with its counts (`found`, `remaining`, `healthy`).
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(store, forKey: .store)
            try c.encode(fix, forKey: .fix)
            try c.encode(missingRunFolders, forKey: .missingRunFolders)
            try c.encode(missingCheckpoints, forKey: .missingCheckpoints)
            try c.encode(pointers, forKey: .pointers)
            try c.encode(pendingSaves, forKey: .pendingSaves)
            try c.encode(abandonedTemporaries, forKey: .abandonedTemporaries)
            try c.encode(found, forKey: .found)
            try c.encode(remaining, forKey: .remaining)
            try c.encode(healthy, forKey: .healthy)
        }
    }
}
