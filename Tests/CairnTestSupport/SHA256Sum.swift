import Foundation

/// SHA-256 of bytes by the system's `sha256sum` (coreutils), for tests of formats whose references give
/// digests: an outside implementation, not Cairn's own.
public enum SHA256Sum {
    public static func hex(_ bytes: [UInt8]) throws -> String {
        let folder = try TemporaryDirectory("cairn-sha256")
        let file = folder.appending("data")
        try Data(bytes).write(to: file)
        let result = try TestProcess.run("/usr/bin/sha256sum", [file.path])
        guard result.status == 0, let digest = result.stdout.split(separator: " ").first else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "sha256sum failed: \(result.stderr)"])
        }
        return String(digest)
    }
}
