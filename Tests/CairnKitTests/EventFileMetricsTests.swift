import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// An adopted run whose only metrics are in its TensorBoard event file (SuperGradients run folders):
/// `metric show` reads them, by the MLflow split rule, and the tree is not written.
@Suite("Metrics of adopted runs from their event files")
struct EventFileMetricsTests {
    @Test func anAdoptedRunsEventFileScalarsAreItsMetrics() throws {
        let directory = try TemporaryDirectory("cairn-event-metrics")
        let tree = directory.appending("run-dirs")
        try FileManager.default.copyItem(at: PackagePaths.shared.appendingPathComponent("fixtures/layouts/example/run-dirs"), to: tree)
        _ = try Store.adopt(AdoptRequest(tree: tree.path, layout: "run-dirs"))
        let before = Disk.tree(tree.path)
        let store = try Store.open(at: tree.path)
        let run = try #require(try store.runs().first { $0.run.folder.hasSuffix("RUN_20240101_000000_000001") }?.run)
        let file = try #require(Disk.tree(run.absoluteFolder).first { $0.hasPrefix("events.out.tfevents.") })
        let read = EventFileReader.read(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: run.absoluteFolder + "/" + file))))
        #expect(read.pointCount > 0)
        let summaries = try store.metricSummaries(of: run)
        #expect(summaries.reduce(0) { $0 + $1.count } == read.pointCount, "\(summaries)")
        // Each tag is a metric: `val/acc` of split `val`, any other of split `train`.
        for tag in read.tags {
            let (split, key) = Store.split(ofTag: tag)
            let summary = summaries.first { $0.split == split && $0.key == key }
            #expect(summary?.count == read.scalars[tag]?.count, "\(tag)")
            #expect(summary?.last == read.scalars[tag]?.last.map(\.value), "\(tag)")
        }
        #expect(Disk.tree(tree.path) == before, "reading the metrics wrote to the tree")
    }

    @Test func tagsSplitAsMLflowKeysDo() {
        #expect(Store.split(ofTag: "loss") == ("train", "loss"))
        #expect(Store.split(ofTag: "val/loss") == ("val", "loss"))
        #expect(Store.split(ofTag: "validation/top/1") == ("validation", "top/1"))
        #expect(Store.split(ofTag: "train/loss") == ("train", "train/loss"))
        #expect(Store.split(ofTag: "test/") == ("train", "test/"))
    }
}
