import CairnKit
import CairnTestSupport
import Foundation

/// A fresh store in a fresh temporary folder, for one test. Keep the fixture alive for the test's
/// duration: the folder is removed when it goes away.
final class DemoStoreFixture: Sendable {
    let directory: TemporaryDirectory
    let store: Store

    init() throws {
        directory = try TemporaryDirectory("cairn-demo")
        store = try Store.initialize(at: directory.appending("store").path)
    }
}
