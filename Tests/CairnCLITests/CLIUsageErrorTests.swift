import Foundation
import Testing
import CairnTestSupport

/// A mistake in the arguments is one error line naming where to look; help still prints in full.
@Suite struct CLIUsageErrorTests {
    @Test(arguments: [
        (["ckpt", "save", "x.pt", "--epoch", "1", "--bogus"], "Unknown option '--bogus'", "cairn ckpt save --help"),
        (["ckpt", "save", "x.pt"], "the checkpoint has neither an epoch nor a step: give --epoch N, --step N, or both", "cairn ckpt save --help"),
        (["exp", "new"], "Missing expected argument '<name>'", "cairn exp new --help"),
        (["ckpt", "prune", "--mode", "median"], "The value 'median' is invalid for '--mode <mode>'", "cairn ckpt prune --help"),
        (["ckpt", "path", "RUN", "epoch"], "'best', 'last', 'epoch=N' or 'step=N'", "cairn ckpt path --help"),
        (["run", "tag", "RUN", "novalue"], "<KEY=VALUE>", "cairn run tag --help"),
        (["nosuchcommand"], "Unexpected argument 'nosuchcommand'", "cairn --help"),
    ])
    func oneLine(_ arguments: [String], message: String, help: String) throws {
        let result = try CLI.run(arguments)
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        #expect(result.stderr.hasPrefix("cairn: error: ") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.contains("see '\(help)'"), "\(result.stderr)")
    }

    @Test(arguments: [["ckpt", "save", "--help"], ["help", "ckpt", "save"], ["ckpt", "save", "-h"]])
    func helpIsNotAnError(_ arguments: [String]) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: cairn ckpt save"), "\(result.stdout)")
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(try CLI.run(["--version"]).stdout.hasPrefix("0."))
    }
}
