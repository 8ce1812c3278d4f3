import Foundation
import CairnCore

/// Asks git about the repository a run is started from.
enum GitProbe {
    struct Result {
        var state: GitState
        var diff: String?
    }

    /// The commit, branch, dirty flag and diff of the repository containing `directory`;
    /// nil when it is not in a repository or git is not installed.
    static func probe(_ directory: String) -> Result? {
        guard let commit = git(["rev-parse", "HEAD"], in: directory)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !commit.isEmpty else { return nil }
        let branch = git(["rev-parse", "--abbrev-ref", "HEAD"], in: directory)?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let status = git(["status", "--porcelain", "--untracked-files=no"], in: directory) ?? ""
        let dirty = !status.isEmpty
        let diff = dirty ? git(["diff", "HEAD", "--no-color", "--no-ext-diff"], in: directory) : nil
        return Result(state: GitState(commit: commit, branch: branch == "HEAD" ? nil : branch, dirty: dirty, diffFile: nil),
                      diff: diff)
    }

    private static func git(_ arguments: [String], in directory: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        var env = ProcessInfo.processInfo.environment
        env["GIT_OPTIONAL_LOCKS"] = "0"
        env["LC_ALL"] = "C"
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
