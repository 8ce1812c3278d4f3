import CairnCore
import Foundation

/// The demo's own files: the checkpoint bytes Cairn hands the writer a path for, and the hand-rolled
/// legacy tree.
enum DemoFiles {
    /// Writes `bytes` to `path`, which must not exist yet.
    static func save(_ bytes: [UInt8], to path: String) throws(CairnError) {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch {
            throw failure("write", path, error)
        }
    }

    /// Writes `text` to `path`, replacing it atomically.
    static func write(_ text: String, to path: String) throws(CairnError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw failure("write", path, error)
        }
    }

    /// Creates the folder `path` and any missing parents.
    static func makeDirectories(_ path: String) throws(CairnError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw failure("create the folder", path, error)
        }
    }

    /// Copies the file at `source` to `destination`, which must not exist yet.
    static func copy(_ source: String, to destination: String) throws(CairnError) {
        do {
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        } catch {
            throw failure("copy '\(source)' to", destination, error)
        }
    }

    private static func failure(_ action: String, _ path: String, _ error: any Error) -> CairnError {
        let denied = (error as? CocoaError).map { [.fileReadNoPermission, .fileWriteNoPermission].contains($0.code) } ?? false
        return CairnError(denied ? .permissionDenied : .io, "could not \(action) '\(path)'",
                          hint: denied ? "make the folder writable, or pass another DIR" : "check that the disk has room and the folder is writable",
                          cause: (error as NSError).localizedDescription)
    }
}
