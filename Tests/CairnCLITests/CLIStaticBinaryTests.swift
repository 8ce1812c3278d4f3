import Foundation
import Testing
import CairnTestSupport

/// The binary the README installs (`swift build -c release --static-swift-stdlib`) runs on a machine
/// without the Swift toolchain. scripts/test builds `cairn` with the same flag and hands it to the CLI
/// tests as `$CAIRN_BIN`; here it runs in a mount namespace of its own where the toolchain's runtime
/// library folders are empty. Mounting needs root (as in CI).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CAIRN_BIN"] != nil, "scripts/test builds the static binary and sets CAIRN_BIN"),
       .enabled(if: geteuid() == 0, "mounting a tmpfs over the toolchain's libraries needs root, as in CI"))
struct CLIStaticBinaryTests {
    /// The folders the toolchain's shared runtime libraries (libswiftCore.so, libFoundation.so, …) live in.
    static func runtimeLibraryFolders() throws -> [String] {
        let info = try TestProcess.run("/usr/bin/env", ["swift", "-print-target-info"])
        try #require(info.status == 0, "swift -print-target-info failed: \(info.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any]
        let paths = (object?["paths"] as? [String: Any])?["runtimeLibraryPaths"] as? [String]
        return try #require(paths, "no runtimeLibraryPaths in: \(info.stdout)")
    }

    @Test func linksNoSwiftSharedLibrary() throws {
        let ldd = try TestProcess.run("/usr/bin/ldd", [PackagePaths.cairnBinary])
        #expect(!ldd.stdout.contains("libswift"), "\(PackagePaths.cairnBinary) is built without --static-swift-stdlib: \(ldd.stdout)")
        #expect(!ldd.stdout.contains("libFoundation"), "\(ldd.stdout)")
    }

    @Test func runsWithTheToolchainLibrariesHidden() throws {
        let folders = try Self.runtimeLibraryFolders()
        let directory = try TemporaryDirectory("cairn-static")
        let store = directory.appending("store").path
        let checkpoint = directory.appending("model.bin")
        try Data(repeating: 7, count: 4096).write(to: checkpoint)
        // Hide every runtime library folder, prove it is hidden, then use the binary for real.
        let script = """
            set -e
            for folder in "$@"; do mount -t tmpfs none "$folder"; test -z "$(ls -A "$folder")"; done
            "$CAIRN" --version
            "$CAIRN" init "$STORE" >/dev/null
            "$CAIRN" exec -e static/check --store "$STORE" --no-git -- sh -c 'echo trained; "$CAIRN" ckpt save "$CHECKPOINT" --epoch 1 --step 10 >/dev/null; "$CAIRN" ckpt ls --json'
            """
        let result = try TestProcess.run("/usr/bin/unshare", ["--mount", "--propagation", "private", "--", "/bin/sh", "-c", script, "sh"] + folders,
                                         environment: ["CAIRN": PackagePaths.cairnBinary, "STORE": store, "CHECKPOINT": checkpoint.path,
                                                       "CAIRN_STORE": nil, "CAIRN_RUN_ID": nil])
        #expect(result.status == 0, "stdout: \(result.stdout)\nstderr: \(result.stderr)")
        #expect(result.stdout.contains("trained") && result.stdout.contains("\"relative_path\""), "\(result.stdout)")
    }
}
