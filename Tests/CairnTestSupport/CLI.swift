import Foundation

/// Runs the built `cairn` binary for end-to-end tests.
public enum CLI {
    /// Runs `cairn ARGS…`. The variables Cairn reads from its environment are cleared unless given,
    /// so the tests never depend on the caller's shell.
    public static func run(_ arguments: [String], environment: [String: String?] = [:], directory: URL? = nil,
                           stdin: String? = nil) throws -> TestProcess.Result {
        var env: [String: String?] = ["CAIRN_STORE": nil, "CAIRN_RUN_ID": nil, "CAIRN_RUN_DIR": nil, "CAIRN_EXPERIMENT": nil]
        for (key, value) in environment { env[key] = value }
        return try TestProcess.run(PackagePaths.cairnBinary, arguments, environment: env, stdin: stdin,
                                   directory: directory ?? FileManager.default.temporaryDirectory)
    }

    /// Runs `cairn ARGS…` as the unprivileged user `nobody` (root ignores file permissions, so
    /// permission tests drop privileges for the command under test).
    public static func runUnprivileged(_ arguments: [String], directory: URL? = nil) throws -> TestProcess.Result {
        var env: [String: String?] = ["CAIRN_STORE": nil, "CAIRN_RUN_ID": nil, "HOME": "/tmp"]
        env["CAIRN_RUN_DIR"] = nil
        if geteuid() != 0 {
            return try TestProcess.run(PackagePaths.cairnBinary, arguments, environment: env,
                                       directory: directory ?? FileManager.default.temporaryDirectory)
        }
        return try TestProcess.run("/usr/bin/setpriv",
                                   ["--reuid=65534", "--regid=65534", "--clear-groups", "--", PackagePaths.cairnBinary] + arguments,
                                   environment: env, directory: directory ?? URL(fileURLWithPath: "/tmp"))
    }
}
