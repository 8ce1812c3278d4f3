import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// Adoption on trees generated with the variants each convention allows (``ConventionTreeGenerator``):
/// every file explained as expected, every run found with its status, params and checkpoints (epoch
/// and step as the tree gives them, unknown as nil), `best` and `last` naming what the tree says and
/// `ckpt latest` agreeing with `last`; a tree adopted at its `checkpoints/` folder is refused with the
/// folder to adopt.
@Suite("Adoption of generated convention trees")
struct AdoptionPropertyTests {
    /// Trees per layout in each run of the suite (five layouts: 200 trees).
    static let treesPerLayout = 40

    @Test(arguments: ConventionTreeGenerator.layouts)
    func generatedTreesAdoptAsTheirConventionSays(layout: String) throws {
        for index in 0..<Self.treesPerLayout {
            let seed = UInt64(index) &* 0x9E37_79B9 &+ UInt64(ConventionTreeGenerator.layouts.firstIndex(of: layout)!) << 40
            try check(ConventionTreeGenerator.make(layout, seed: seed), mode: index % 5)
        }
    }

    /// Adopts `tree` and checks what was recorded. `mode` 0: auto-detection; 1: at the top folder
    /// (refused); otherwise with the layout named.
    private func check(_ tree: ConventionTree, mode: Int) throws {
        let directory = try TemporaryDirectory("cairn-adopt-property")
        let root = directory.appending("tree").path
        try tree.write(to: root)
        let before = Disk.tree(root)

        if mode == 1 {
            let top = root + "/" + ConventionTreeGenerator.topFolder(tree.layout)
            let error = Expect.error(.layout) { try Store.adopt(AdoptRequest(tree: top, layout: tree.layout)) }
            #expect(error?.hint?.contains("adopt '\(root)'") == true, "\(tree): \(String(describing: error))")
            #expect(Disk.tree(root) == before, "\(tree): a refused adoption changed the tree")
            return
        }
        let report: AdoptReport
        do {
            report = try Store.adopt(AdoptRequest(tree: root, layout: mode == 0 ? "auto" : tree.layout))
        } catch {
            // Auto-detection may only tie, never choose another layout; the tie names this one.
            guard mode == 0, error.kind == .ambiguous else { throw error }
            #expect(error.message.contains(tree.layout), "\(tree): \(error.message)")
            return
        }
        #expect(report.layout == tree.layout, "\(tree): adopted as \(report.layout)")
        #expect(Set(report.recognition.unexplained) == tree.unexplained, "\(tree): unexplained files")
        #expect(Set(report.recognition.runs.map(\.folder)) == Set(tree.runs.keys), "\(tree): run folders")

        let store = try Store.open(at: root)
        for summary in try store.runs() {
            let run = summary.run
            guard let expected = tree.runs[run.folder] else {
                Issue.record("\(tree): unexpected run \(run.folder)")
                continue
            }
            #expect(run.record.experiment == expected.experiment, "\(tree): \(run.folder) experiment")
            #expect(run.record.status == expected.status, "\(tree): \(run.folder) status")
            let parent = try store.experiment(id: run.record.experimentID).parentExperimentID.map { try store.experiment(id: $0).name.description }
            #expect(parent == expected.parentExperiment, "\(tree): \(run.folder) parent experiment")
            let params = try store.params(of: run)
            for (key, value) in expected.params {
                #expect(params[key] == value, "\(tree): \(run.folder) param \(key) = \(params[key] ?? "nil")")
            }
            let view = try RunCheckpoints.view(store: store, run: run)
            let recorded = Dictionary(uniqueKeysWithValues: view.kept.map { ($0.path, ConventionTree.Position(epoch: $0.epoch, step: $0.step)) })
            #expect(recorded == expected.checkpoints, "\(tree): \(run.folder) checkpoints")
            #expect(view.entry(pointer: "last")?.path == expected.last, "\(tree): \(run.folder) last")
            #expect(view.entry(pointer: "best")?.path == expected.best, "\(tree): \(run.folder) best")
            #expect(view.latestComplete?.path == expected.last, "\(tree): \(run.folder) latest")
        }
        #expect(Disk.tree(root).filter { !$0.hasPrefix(".cairn") && $0 != "cairn.yaml" } == before, "\(tree): adoption changed the tree")

        // The training keeps writing: a new run folder shows at the next open, with its checkpoint.
        let grown = ConventionTreeGenerator.grownRun(tree.layout, in: tree)
        for file in grown.files { try Disk.write("grown", to: root + "/" + file) }
        let reopened = try Store.open(at: root)
        let found = try reopened.runs().first { $0.run.folder == grown.folder }?.run
        #expect(found != nil, "\(tree): the new run folder \(grown.folder) is not listed")
        if let found {
            let kept = try RunCheckpoints.view(store: reopened, run: found).kept
            #expect(kept.map(\.path) == [grown.checkpoint] && kept.first?.epoch == grown.epoch, "\(tree): \(grown.folder) checkpoints")
        }
    }
}
