import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

/// A user's reference to a run is resolved once: an id, a prefix, `latest`, or `$CAIRN_RUN_ID`.
@Suite struct RunReferenceTests {
    @Test func theEnvironmentNamesTheRunWhenNoneIsGiven() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        let found = try fixture.store.run(.environment, environment: ["CAIRN_RUN_ID": run.id.value])
        #expect(found.id == run.id)
        #expect(try fixture.store.run(RunReference(nil), environment: ["CAIRN_RUN_ID": String(run.id.value.prefix(18))]).id == run.id)
        let error = Expect.error(.invalidValue) { try fixture.store.run(.environment, environment: [:]) }
        #expect(error?.description.contains("CAIRN_RUN_ID is not set") == true)
        Expect.error(.invalidValue) { try fixture.store.run(.environment, environment: ["CAIRN_RUN_ID": ""]) }
    }

    @Test func latestWithinAnExperiment() throws {
        let fixture = try StoreFixture()
        _ = try fixture.store.createRun(try .plain("exp"))
        let second = try fixture.store.createRun(try .plain("exp"))
        let experiment = try fixture.store.experiment(named: try ExperimentName("exp"))
        #expect(try fixture.store.run(.text("latest"), in: experiment).id == second.id)
    }

    @Test(arguments: [
        (["a=1", "b=2"], RunReference.environment, ["a=1", "b=2"]),
        (["run", "a=1"], RunReference.text("run"), ["a=1"]),
        ([], RunReference.environment, []),
    ])
    func aLeadingRunWord(_ words: [String], run: RunReference, rest: [String]) {
        let (found, left) = RunReference.leading(words) { !$0.contains("=") }
        #expect(found == run && left == rest)
    }

    @Test func anExperimentNameWinsOverARunPrefix() throws {
        let fixture = try StoreFixture()
        let run = try fixture.store.createRun(try .plain("exp"))
        // An experiment named like the start of the run's id.
        let prefix = String(run.id.value.prefix(4))
        _ = try fixture.store.createExperiment(try ExperimentName(prefix))
        guard case .experiment(let experiment) = try fixture.store.experimentOrRun(prefix) else {
            Issue.record("\(prefix) should name the experiment")
            return
        }
        #expect(experiment.name.description == prefix)
        guard case .run(let found) = try fixture.store.experimentOrRun(String(run.id.value.prefix(10))) else {
            Issue.record("a longer prefix names the run")
            return
        }
        #expect(found.id == run.id)
        let error = Expect.error(.notFound) { try fixture.store.experimentOrRun("nope") }
        #expect(error?.description.contains("no experiment or run named 'nope'") == true)
        Expect.error(.notFound) { try fixture.store.experimentOrRun("a/b/") }
        let missing = Expect.error(.notFound) { try fixture.store.experimentOrRun("nonexistent/exp") }
        #expect(missing?.message.hasPrefix("no experiment named 'nonexistent/exp' in the store") == true, "\(String(describing: missing))")
        #expect(missing?.hint?.contains("cairn exp new nonexistent/exp") == true)
    }
}
