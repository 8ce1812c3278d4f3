import Foundation
import Testing
import CairnTestSupport

/// A running `cairn serve`, its address read from its first line.
final class ServeProcess {
    let process: SpawnedProcess
    let url: String
    let output: String
    private let folder: TemporaryDirectory

    /// Starts `cairn serve --port 0 ARGS` through a shell in `directory`; waits for its address.
    init(_ arguments: [String], in directory: String) throws {
        let folder = try TemporaryDirectory("cairn-serve-out")
        self.folder = folder
        output = folder.path + "/out"
        let words = ([PackagePaths.cairnBinary, "serve", "--port", "0"] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        process = try SpawnedProcess("/bin/sh", ["-c", "cd '\(directory)' && unset CAIRN_STORE && exec " + words.joined(separator: " ")],
                                     outputFile: output, errorFile: folder.path + "/err")
        var found: String?
        for _ in 0..<600 where found == nil {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            found = text.split(separator: "\n").first { $0.hasPrefix("Serving ") }.flatMap { line in
                line.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init)
            }
            if found == nil { usleep(50_000) }
            if process.hasEnded { break }
        }
        if found == nil, !process.hasEnded {
            // Given up on: not left running after the test.
            process.signal(SIGKILL)
            _ = process.wait()
        }
        url = try #require(found, "cairn serve did not start: \((try? String(contentsOfFile: folder.path + "/err", encoding: .utf8)) ?? "")")
    }

    /// SIGTERM, then the exit status.
    func stop() -> Int32 {
        process.signal(SIGTERM)
        return process.wait()
    }
}
