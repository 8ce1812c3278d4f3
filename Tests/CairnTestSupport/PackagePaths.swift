import Foundation

/// Where things are: the package root, `../shared`, and the built `cairn` binary.
public enum PackagePaths {
    /// The package root (the folder holding Package.swift).
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `../shared` beside the package.
    public static var shared: URL { root.deletingLastPathComponent().appendingPathComponent("shared") }

    /// The folder the test binary was built into (`.build/debug` or similar).
    public static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The `cairn` executable under test: `$CAIRN_BIN`, else the one built beside the tests.
    public static var cairnBinary: String {
        if let env = ProcessInfo.processInfo.environment["CAIRN_BIN"], !env.isEmpty { return env }
        return builtExecutable("cairn")
    }

    /// The `cairn-bench` helper (stress loops), built beside the tests.
    public static var benchBinary: String { builtExecutable("cairn-bench") }

    /// An executable product built beside the tests.
    public static func builtExecutable(_ name: String) -> String {
        var dir = productsDirectory
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(name)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue {
                return candidate.path
            }
            dir.deleteLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/" + name).path
    }
}
