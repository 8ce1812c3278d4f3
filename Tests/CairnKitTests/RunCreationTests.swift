#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Runs: creation and the files of a run")
struct RunCreationTests {
    @Test func createRunWritesTheRecordAndItsFiles() throws {
        let fixture = try StoreFixture()
        let config: ConfigValue = ["training": ["lr": 0.001, "epochs": 10, "schedule": ["cosine", "warmup"]],
                                   "model": ["name": "vae", "latent": 16], "note": "yes", "seed": .null]
        let run = try fixture.store.createRun(try .plain("vae/baseline", name: "first", config: config,
                                                          tags: ["owner": "ana", "stage": "try"],
                                                          command: ["python", "train.py", "--fast"]))
        let folder = fixture.root + "/vae/baseline/" + run.id.value
        #expect(run.folder == "vae/baseline/" + run.id.value)
        #expect(run.absoluteFolder == folder)

        let record = try Disk.jsonObject(folder + "/run.json")
        #expect(record["status"] as? String == "RUNNING")
        #expect(record["id"] as? String == run.id.value)
        #expect(record["name"] as? String == "first")
        #expect(record["experiment"] as? String == "vae/baseline")
        #expect(record["experiment_id"] as? String == "1")
        #expect((record["host"] as? String)?.isEmpty == false)
        #expect((record["user"] as? String)?.isEmpty == false)
        #expect((record["pid"] as? Int).map { Int32($0) } == getpid())
        #expect(record["command"] as? [String] == ["python", "train.py", "--fast"])
        #expect(record["layout"] as? String == "cairn")
        #expect(record["end_time"] == nil)
        #expect(Timestamp(iso8601: try #require(record["start_time"] as? String)) == run.record.startTime)
        #expect(try fixture.store.run(at: try fixture.store.resolveRun(run.id.value)) == run)

        // config.yaml is the config, which reads back the same.
        let yaml = try Disk.text(folder + "/config.yaml")
        #expect(try RunConfig.load(path: folder + "/config.yaml", overrides: []).config == config)
        #expect(yaml.contains("lr: 0.001"))

        // params.json: the flattened config, every value as text.
        #expect(try Disk.stringMap(folder + "/params.json") == [
            "training.lr": "0.001", "training.epochs": "10", "training.schedule": "[cosine, warmup]",
            "model.name": "vae", "model.latent": "16", "note": "\"yes\"", "seed": "null",
        ])
        #expect(try Disk.stringMap(folder + "/tags.json") == ["owner": "ana", "stage": "try"])
        #expect(try fixture.store.tags(of: fixture.store.resolveRun(run.id.value)) == ["owner": "ana", "stage": "try"])

        // The registry entry, the latest pointer and the lease.
        let entry = try Disk.jsonObject(fixture.root + "/.cairn/experiments/1/runs/\(run.id).json")
        #expect(entry["folder"] as? String == run.folder)
        #expect(try Disk.text(fixture.root + "/.cairn/experiments/1/latest") == run.id.value + "\n")
        let lease = try #require(try fixture.store.lease(of: run.id))
        #expect(lease.pid == getpid())
        // No claim marker or temporary files remain.
        #expect(!Disk.tree(fixture.root).contains { $0.contains(".cairn-run-claim") || $0.contains(AtomicFile.temporaryPrefix) })
    }

    @Test func withoutAConfigTheConfigFileIsEmptyAndThereAreNoParams() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        // Always written, so that a script can read it: an empty mapping.
        #expect(try Disk.text(run.absoluteFolder + "/config.yaml") == "{}\n")
        #expect(try RunConfig.load(path: run.absoluteFolder + "/config.yaml", overrides: []).config == .mapping(ConfigMapping()))
        #expect(try Disk.stringMap(run.absoluteFolder + "/params.json") == [:])
        #expect(try Disk.stringMap(run.absoluteFolder + "/tags.json") == [:])
        #expect(run.record.command == [])
        #expect(run.record.git == nil)
    }

    @Test func overridesAloneMakeAConfigFile() throws {
        let fixture = try StoreFixture()
        let loaded = try RunConfig.load(path: nil, overrides: ["training.lr=3e-4"])
        let request = RunRequest(experiment: try ExperimentName("exp"), config: loaded.config,
                                 configOverrides: ["training.lr=3e-4"], captureGit: false)
        let run = try fixture.store.createRun(request)
        #expect(Disk.exists(run.absoluteFolder + "/config.yaml"))
        #expect(try Disk.stringMap(run.absoluteFolder + "/params.json") == ["training.lr": "0.0003"])
        #expect(run.record.configOverrides == ["training.lr=3e-4"])
        let record = try Disk.jsonObject(run.absoluteFolder + "/run.json")
        #expect(record["config_overrides"] as? [String] == ["training.lr=3e-4"])
    }

    @Test func runIdsAreUniqueAndSortByCreation() throws {
        let fixture = try StoreFixture()
        var ids: [RunID] = []
        for _ in 0..<25 { ids.append(try fixture.store.createRun(try .plain("exp")).id) }
        #expect(Set(ids).count == ids.count)
        // Ids sort as they were created (non-decreasing time, so sorted by their text start).
        for (a, b) in zip(ids, ids.dropFirst()) { #expect(a.value.prefix(19) <= b.value.prefix(19)) }
        let listed = try fixture.store.runs(in: try fixture.store.experiment(named: ExperimentName("exp")))
        #expect(listed.map(\.run.id) == ids.sorted())
        #expect(listed.count == 25)
        #expect(try fixture.store.runCount(in: try fixture.store.experiment(named: ExperimentName("exp"))) == 25)
        for id in ids { #expect(id.value.wholeMatch(of: /\d{8}-\d{6}-\d{3}-[0-9a-hjkmnp-tv-z]{4}/) != nil, "\(id)") }
    }

    @Test func runsAreCreatedConcurrentlyWithoutClashes() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let ids = try await withThrowingTaskGroup(of: RunID.self) { group in
            for _ in 0..<16 {
                group.addTask { try store.createRun(try .plain("shared/exp")).id }
            }
            var ids: [RunID] = []
            for try await id in group { ids.append(id) }
            return ids
        }
        #expect(Set(ids).count == 16)
        #expect(try store.experiments().count == 1)
        #expect(try store.runs().count == 16)
        let latest = try #require(try store.latestRun(in: try store.experiment(named: ExperimentName("shared/exp"))))
        #expect(latest.id == ids.max())
    }

    @Test func runsAcrossExperimentsAreListedTogether() throws {
        let fixture = try StoreFixture()
        let a = try fixture.store.createRun(try .plain("a"))
        let b = try fixture.store.createRun(try .plain("group/b"))
        let all = try fixture.store.runs()
        #expect(Set(all.map(\.run.id)) == [a.id, b.id])
        #expect(all.allSatisfy { $0.liveness == .alive })
        #expect(try fixture.store.runs(in: try fixture.store.experiment(named: ExperimentName("group/b"))).map(\.run.id) == [b.id])
    }

    @Test func invalidNamesAndTagKeysAreRefusedBeforeAnythingIsWritten() throws {
        let fixture = try StoreFixture()
        let before = Disk.tree(fixture.root)
        Expect.error(.invalidName) { try fixture.store.createRun(try .plain("exp", name: "a/b")) }
        Expect.error(.invalidName) { try fixture.store.createRun(try .plain("exp", tags: ["": "x"])) }
        Expect.error(.invalidName) { try fixture.store.createRun(try .plain("exp", tags: ["bad\u{7}key": "x"])) }
        #expect(Disk.tree(fixture.root) == before)
        #expect(try fixture.store.runs().isEmpty)
    }
}
