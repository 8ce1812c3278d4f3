import Foundation

/// The Python interpreter the interop tests use: `$CAIRN_PYTHON`, else the project's `.venv`
/// (made by `scripts/test`), else `python3` on the PATH.
public enum TestPython {
    public static var executable: String {
        if let env = ProcessInfo.processInfo.environment["CAIRN_PYTHON"], !env.isEmpty { return env }
        let venv = PackagePaths.root.appendingPathComponent(".venv/bin/python").path
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        return "/usr/bin/env"
    }

    /// Runs a Python script (given as source text) with arguments.
    public static func run(_ script: String, _ arguments: [String] = [], stdin: String? = nil) throws -> TestProcess.Result {
        let exe = executable
        let args = exe == "/usr/bin/env" ? ["python3", "-c", script] + arguments : ["-c", script] + arguments
        return try TestProcess.run(exe, args, stdin: stdin)
    }
}
