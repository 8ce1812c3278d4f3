import CairnCore

/// Builders for checkpoint manifests in tests.
enum CheckpointFixtures {
    static let start = Timestamp(millisecondsSinceEpoch: 1_767_225_600_000)

    static func time(_ seq: Int) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: start.millisecondsSinceEpoch + Int64(seq) * 1000)
    }

    /// A begin and a commit for one save.
    static func save(_ seq: Int, epoch: Int, step: Int? = nil, metrics: [String: Double] = [:]) -> [ManifestEvent] {
        [.begin(.init(seq: seq, path: "checkpoints/\(seq).pt", epoch: epoch, step: step, metrics: metrics,
                      bytes: 100, sha256: String(repeating: "a", count: 64), time: time(seq))),
         .commit(.init(seq: seq, decision: "kept", time: time(seq)))]
    }

    /// A state of committed saves at (epoch, step) with an optional `val_loss`, seq 1, 2, …
    static func state(_ saves: [(epoch: Int, step: Int?, loss: Double?)], metric: String = "val_loss") -> ManifestState {
        var events: [ManifestEvent] = []
        for (i, save) in saves.enumerated() {
            events += self.save(i + 1, epoch: save.epoch, step: save.step,
                                metrics: save.loss.map { [metric: $0] } ?? [:])
        }
        return ManifestState(events: events)
    }

    /// Saves at epochs 1…n without steps, with the given losses.
    static func epochs(_ losses: [Double?]) -> ManifestState {
        state(losses.enumerated().map { (epoch: $0.offset + 1, step: nil, loss: $0.element) })
    }
}

