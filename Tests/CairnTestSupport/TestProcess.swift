import Foundation

/// Runs a child process for a test and collects what it printed.
public struct TestProcess: Sendable {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// True when the process ended because of a signal.
        public var signaled: Bool
    }

    /// Runs `executable` with `arguments` to completion.
    /// - Parameters:
    ///   - environment: variables added to (or replacing) the test's own environment; a nil value removes one.
    ///   - stdin: text fed to the child's standard input (closed at once if nil).
    ///   - directory: the working directory.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String?] = [:],
                           stdin: String? = nil, directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child never blocks on a full pipe.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errBox.data, as: UTF8.self),
                      signaled: process.terminationReason == .uncaughtSignal)
    }
}

private final class DataBox: @unchecked Sendable {
    var data = Data()
}
