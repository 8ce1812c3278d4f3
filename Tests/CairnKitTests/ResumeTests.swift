import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// `cairn resume` and `cairn reproduce`: plans checked before anything runs, the resumed run linked to
/// its source, the source's checkpoints and best untouched, metrics continued without duplicates.
@Suite("Resume and reproduce")
struct ResumeTests {
    /// A command that writes its resume variables and config's resume section to `out.txt` in its run folder.
    private static let probe = ["/bin/sh", "-c", #"printf '%s|%s|%s|%s' "$CAIRN_RESUME_CHECKPOINT" "$CAIRN_RESUME_STEP" "$CAIRN_RESUME_EPOCH" "$CAIRN_RESUMED_FROM" > "$CAIRN_RUN_DIR/out.txt""#]

    private var bestPolicy: CheckpointPolicy {
        var policy = CheckpointPolicy()
        policy.monitor = "loss"
        policy.mode = .min
        return policy
    }

    /// An ended run of `experiment` with checkpoints at epochs 1...3 (epoch 2 best), metrics at steps 100...350.
    private func trainedRun(_ store: Store, _ experiment: String = "exp", config: ConfigValue? = ["training": ["lr": 0.1]]) throws -> Run {
        let run = try store.createRun(try .plain(experiment, config: config, command: Self.probe))
        let checkpoints = try RunCheckpoints.open(store: store, run: run)
        for (epoch, loss) in [(1, 0.5), (2, 0.1), (3, 0.3)] { _ = try checkpoints.save(Ckpt.at(epoch, ["loss": loss], policy: bestPolicy)) }
        let logger = MetricLogger(store: store, run: run)
        for step in stride(from: 100, through: 350, by: 50) { try logger.log("loss", 1.0 / Double(step), step: Int64(step)) }
        try logger.close()
        return try store.endRun(run, status: .failed, exitCode: 1)
    }

    private func output(_ run: Run) throws -> [String] {
        try Disk.text(run.absoluteFolder + "/out.txt").split(separator: "|", omittingEmptySubsequences: false).map(String.init)
    }

    @Test func aNewRunResumesTheLastCheckpointAndLeavesTheSourceAlone() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let source = try trainedRun(store)
        let before = try RunCheckpoints.read(store: store, run: source).checkpoints()
        let plan = try store.resumePlan(.run(source), options: ResumeOptions(overrides: ["training.lr=0.05"]))
        #expect(plan.mode == .newRun)
        #expect(plan.checkpoint.epoch == 3)
        let (run, outcome) = try store.resume(plan, environment: [:], onOutput: { _, _ in })
        #expect(outcome.exitCode == 0)
        #expect(run.record.resumedFrom == source.id)
        #expect(run.id != source.id)
        #expect(try store.run(id: run.id).record.resumedFrom == source.id)
        #expect(try output(run) == [plan.checkpoint.path, "300", "3", source.id.value])
        let config = try Store.readConfig(try store.runFilePath(run, .config))
        #expect(config.value(at: ["training", "lr"]) == .float(0.05))
        #expect(config.value(at: ["training", "resume", "is_resume"]) == .bool(true))
        #expect(config.value(at: ["training", "resume", "checkpoint_path"]) == .string(plan.checkpoint.path))
        #expect(config.value(at: ["training", "resume", "strict"]) == .bool(true))
        #expect(config.value(at: ["training", "resume", "load_only_model_state"]) == .bool(false))
        // The source keeps every checkpoint and its best.
        let after = try RunCheckpoints.read(store: store, run: source)
        #expect(after.checkpoints() == before)
        #expect(try after.checkpoint(.pointer("best")).epoch == 2)
        #expect(try store.run(id: source.id).record.status == .failed)
    }

    @Test func anExperimentResumesItsLatestRun() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        _ = try trainedRun(store)
        let latest = try trainedRun(store)
        let plan = try store.resumePlan(.experiment(try store.experiment(named: try ExperimentName("exp"))), options: ResumeOptions())
        #expect(plan.source.id == latest.id)
    }

    @Test func continueReopensTheRunAndSetsAsideTheMetricsAfterTheCheckpoint() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let source = try trainedRun(store)
        let plan = try store.resumePlan(.run(source), options: ResumeOptions(continueRun: true))
        #expect(plan.checkpoint.step == 300)
        let (run, outcome) = try store.resume(plan, environment: [:], onOutput: { _, _ in })
        #expect(outcome.exitCode == 0)
        #expect(run.id == source.id)
        let record = try store.run(id: source.id).record
        #expect(record.status == .finished)
        #expect(record.reopenedAt?.count == 1)
        #expect(record.resumedFrom == nil)
        #expect(try store.metrics(of: run, split: "train").map(\.step) == [100, 150, 200, 250, 300])
        let aside = Paths.join(Paths.parent(try store.metricsPath(of: run, split: "train")), Store.supersededMetricsName)
        #expect(try MetricsCSV.decode(Array(try Disk.text(aside).utf8), path: aside).points.map(\.step) == [350])
        // The training logs step 350 again: one point per step.
        let logger = MetricLogger(store: store, run: try store.run(id: run.id))
        try logger.log("loss", 0.001, step: 350)
        try logger.close()
        let steps = try store.metrics(of: run, split: "train").map(\.step)
        #expect(steps == [100, 150, 200, 250, 300, 350])
    }

    @Test func oneRunPerExperimentLayoutsResumeInAClonedExperiment() throws {
        let fixture = try StoreFixture(layoutName: "pretrain-finetune")
        let store = fixture.store
        let config: ConfigValue = ["experiment": ["name": "mlm", "output_dir": "experiments/pretraining/mlm"],
                                   "training": ["lr": 0.1, "resume": ["is_resume": false, "checkpoint_path": .null, "strict": false]]]
        let source = try trainedRun(store, "pretraining/mlm", config: config)
        let error = Expect.error(.conflict) { try store.resumePlan(.run(source), options: ResumeOptions()) }
        #expect(error?.hint?.contains("--as") == true)
        let newName = try ExperimentName("pretraining/mlm_cont")
        let plan = try store.resumePlan(.run(source), options: ResumeOptions(newExperiment: newName))
        let (run, _) = try store.resume(plan, environment: [:], onOutput: { _, _ in })
        #expect(run.folder == "experiments/pretraining/mlm_cont")
        #expect(run.record.resumedFrom == source.id)
        let written = try Store.readConfig(run.absoluteFolder + "/config.yaml")
        #expect(written.value(at: ["training", "resume", "is_resume"]) == .bool(true))
        #expect(written.value(at: ["training", "resume", "resume_pretraining_name"]) == .string("mlm"))
        #expect(written.value(at: ["training", "resume", "checkpoint_path"]) == .string("checkpoints/epoch_3.ckpt"))
        #expect(written.value(at: ["training", "resume", "strict"]) == .bool(false))
        #expect(written.value(at: ["experiment", "name"]) == .string("mlm_cont"))
        #expect(written.value(at: ["experiment", "output_dir"]) == .string("experiments/pretraining/mlm_cont"))
        Expect.error(.alreadyExists) { try store.resumePlan(.run(source), options: ResumeOptions(newExperiment: newName)) }
    }

    @Test func plansThatCannotRunAreRefusedBeforeAnythingIsWritten() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let source = try trainedRun(store)
        let bare = try store.endRun(try store.createRun(try .plain("exp", command: Self.probe)), status: .finished)
        let madeByRunNew = try store.createRun(try .plain("other", command: ["/usr/local/bin/cairn", "run", "new", "-e", "other"]))
        let checkpoints = try RunCheckpoints.open(store: store, run: madeByRunNew)
        _ = try checkpoints.save(Ckpt.at(1))
        let ended = try store.endRun(madeByRunNew, status: .finished)
        let before = Disk.tree(fixture.root)
        Expect.error(.notFound) { try store.resumePlan(.run(bare), options: ResumeOptions()) }
        Expect.error(.invalidValue) { try store.resumePlan(.run(ended), options: ResumeOptions()) }
        Expect.error(.invalidValue) { try store.resumePlan(.run(source), options: ResumeOptions(continueRun: true, overrides: ["training.lr=1"])) }
        Expect.error(.notFound) { try store.resumePlan(.run(source), options: ResumeOptions(overrides: ["training.nope=1"])) }
        Expect.error(.invalidConfig) { try store.resumePlan(.run(source), options: ResumeOptions(overrides: ["training.lr"])) }
        Expect.error(.notFound) { try store.reproducePlan(.experiment(try store.createExperiment(try ExperimentName("empty")))) }
        #expect(Disk.tree(fixture.root).filter { !$0.contains("empty") && !$0.contains(".cairn/experiments/") }
                == before.filter { !$0.contains(".cairn/experiments/") })
    }

    @Test func aRunWhoseOwnerIsAliveIsNotResumedWithoutForce() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let running = try store.createRun(try .plain("exp", command: Self.probe))
        _ = try RunCheckpoints.open(store: store, run: running).save(Ckpt.at(1))
        Expect.error(.conflict) { try store.resumePlan(.run(running), options: ResumeOptions()) }
        #expect(try store.resumePlan(.run(running), options: ResumeOptions(force: true)).checkpoint.epoch == 1)
    }

    @Test func reproduceRunsTheRecordedCommandAndConfigWithExtraArguments() throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let command = ["/bin/sh", "-c", #"echo "$@" > "$CAIRN_RUN_DIR/args.txt""#, "sh", "--seed", "1"]
        let source = try store.endRun(try store.createRun(try .plain("exp", config: ["lr": 0.5], command: command)), status: .finished)
        let plan = try store.reproducePlan(.run(source), extraArguments: ["--extra"])
        #expect(plan.command == command + ["--extra"])
        #expect(plan.warnings.count == 1)  // no git recorded
        let (run, outcome) = try store.reproduce(plan, environment: [:], onOutput: { _, _ in })
        #expect(outcome.exitCode == 0)
        #expect(try Disk.text(run.absoluteFolder + "/args.txt") == "--seed 1 --extra\n")
        #expect(try Store.readConfig(try store.runFilePath(run, .config)) == ["lr": 0.5])
        #expect(try store.tags(of: run.location)["cairn.reproduces"] == source.id.value)
        #expect(run.record.resumedFrom == nil)
    }

    @Test func reproduceWarnsWhenTheCommitDiffers() throws {
        let fixture = try StoreFixture()
        let repo = fixture.directory.appending("repo").path
        try Disk.write("v1\n", to: repo + "/train.py")
        func git(_ args: String...) throws {
            let result = try TestProcess.run("/usr/bin/git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@t"] + args)
            try #require(result.status == 0, "\(result.stderr)")
        }
        try git("init", "-q")
        try git("add", ".")
        try git("commit", "-q", "-m", "one")
        var request = try RunRequest.plain("exp", command: ["/bin/true"])
        request.workingDirectory = repo
        request.captureGit = true
        let source = try fixture.store.endRun(try fixture.store.createRun(request), status: .finished)
        let recorded = try #require(source.record.git?.commit)
        #expect(try fixture.store.reproducePlan(.run(source)).warnings.isEmpty)
        try Disk.write("v2\n", to: repo + "/train.py")
        #expect(try fixture.store.reproducePlan(.run(source)).warnings == ["the working tree has uncommitted changes"])
        try git("commit", "-q", "-am", "two")
        let warnings = try fixture.store.reproducePlan(.run(source)).warnings
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains(String(recorded.prefix(12))) == true)
    }

    /// Property: over generated configs, the resume fields land in the one resume section (an existing
    /// one wherever it is, else `training.resume`), and every other value stays as it was.
    @Test func resumeFieldsTouchOnlyTheResumeSection() {
        var generator = SeededGenerator(seed: 18)
        for _ in 0..<300 {
            let config = Self.randomMapping(depth: 0, using: &generator)
            let result = ResumeFields.apply(to: config, checkpointPath: "ckpt.pt", sourceName: nil)
            let section = ResumeFields.resumeSection(in: config) ?? ["training", "resume"]
            #expect(result.value(at: section + ["is_resume"]) == .bool(true))
            #expect(result.value(at: section + ["checkpoint_path"]) == .string("ckpt.pt"))
            let after = Dictionary(result.flattened().map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            let prefixes = (1...section.count).map { section.prefix($0).joined(separator: ".") }
            for (key, value) in config.flattened() where !prefixes.contains(key) && !key.hasPrefix(prefixes.last! + ".") {
                #expect(after[key] == value, "\(key) changed in \(config)")
            }
        }
    }

    private static func randomMapping(depth: Int, using generator: inout SeededGenerator) -> ConfigValue {
        var mapping = ConfigMapping()
        let names = ["training", "resume", "model", "lr", "is_resume", "checkpoint_path", "strict", "data"]
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            let key = names.randomElement(using: &generator)!
            if depth < 3 && Bool.random(using: &generator) {
                mapping.set(key, randomMapping(depth: depth + 1, using: &generator))
            } else {
                mapping.set(key, [.int(Int64.random(in: 0...9, using: &generator)), .bool(false), .string("x"), .float(0.5)].randomElement(using: &generator)!)
            }
        }
        return .mapping(mapping)
    }
}
