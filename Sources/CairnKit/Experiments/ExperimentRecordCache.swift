import CairnCore
import Synchronization

/// Experiment records this process has read, each with the stamp of its `experiment.json`: a record is
/// written once, and every path of a run is named from its experiment's record, so reading runs by the
/// thousand (a reindex) would otherwise read and decode the same few files again and again. A record
/// whose file's stamp changed (removed, made again) is read again.
final class ExperimentRecordCache: Sendable {
    private let records = Mutex<[ExperimentID: (stamp: FileStamp, record: ExperimentRecord)]>([:])

    /// The record read from a file with this stamp, if any.
    func record(_ id: ExperimentID, stamp: FileStamp) -> ExperimentRecord? {
        records.withLock { cached in cached[id].flatMap { $0.stamp == stamp ? $0.record : nil } }
    }

    func store(_ record: ExperimentRecord, stamp: FileStamp) {
        records.withLock { $0[record.id] = (stamp, record) }
    }
}
