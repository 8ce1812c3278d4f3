#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore
import CairnTestSupport
import Foundation
import Testing
@testable import CairnKit

@Suite("Checkpoints: pointers by symlink, hard link and copy")
struct CheckpointPointerTests {
    private static func setUp() throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory("cairn-pointer")
        let folder = directory.path + "/checkpoints"
        try Disk.makeFolder(folder)
        return (directory, folder)
    }

    @Test func theDefaultIsARelativeSymlink() throws {
        let (directory, folder) = try Self.setUp()
        defer { _ = directory }
        try Disk.write("one", to: folder + "/epoch_1.pt")
        // Nothing set: the floor comes from the environment, a symlink when it is unset.
        let mechanism = try PointerWriter.point(folder + "/best.pt", to: folder + "/epoch_1.pt", isFolder: false)
        #expect(mechanism == PointerWriter.floor)
        try PointerWriter.point(folder + "/best.pt", to: folder + "/epoch_1.pt", isFolder: false, floor: .symlink)
        #expect(CkptCheck.linkTarget(folder + "/best.pt") == "epoch_1.pt")
        #expect(PointerWriter.resolve(folder + "/best.pt") == folder + "/epoch_1.pt")
        // A pointer in another folder gets a relative path up and down.
        try PointerWriter.point(directory.path + "/best_model.pt", to: folder + "/epoch_1.pt", isFolder: false, floor: .symlink)
        #expect(CkptCheck.linkTarget(directory.path + "/best_model.pt") == "checkpoints/epoch_1.pt")
        // Moving it is atomic and leaves nothing behind.
        try Disk.write("two", to: folder + "/epoch_2.pt")
        try PointerWriter.point(folder + "/best.pt", to: folder + "/epoch_2.pt", isFolder: false, floor: .symlink)
        #expect(try Disk.text(folder + "/best.pt") == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["best.pt", "epoch_1.pt", "epoch_2.pt"])
        // A dangling symlink does not resolve.
        try FileManager.default.removeItem(atPath: folder + "/epoch_2.pt")
        #expect(PointerWriter.resolve(folder + "/best.pt") == nil)
        #expect(PointerWriter.resolve(folder + "/nothing.pt") == nil)
    }

    @Test func theEnvironmentFloorIsTheDefault() {
        // The tests never set CAIRN_POINTER_MECHANISM (it is process-wide); whatever it is, the default follows it.
        let env = ProcessInfo.processInfo.environment["CAIRN_POINTER_MECHANISM"] ?? ""
        #expect(PointerWriter.floor == PointerWriter.Mechanism(rawValue: env) ?? .symlink)
    }

    @Test func aHardLinkSharesTheFile() throws {
        let (directory, folder) = try Self.setUp()
        defer { _ = directory }
        try Disk.write("one", to: folder + "/epoch_1.pt")
        let mechanism = try PointerWriter.point(folder + "/best.pt", to: folder + "/epoch_1.pt", isFolder: false, floor: .hardlink)
        #expect(mechanism == .hardlink)
        #expect(!CkptCheck.isSymlink(folder + "/best.pt"))
        #expect(CkptCheck.inode(folder + "/best.pt") == CkptCheck.inode(folder + "/epoch_1.pt"))
        #expect(PointerWriter.resolve(folder + "/best.pt") == folder + "/best.pt")
        // Replacing a symlink by a hard link, and a hard link by another.
        try PointerWriter.point(folder + "/last.pt", to: folder + "/epoch_1.pt", isFolder: false, floor: .symlink)
        try Disk.write("two", to: folder + "/epoch_2.pt")
        try PointerWriter.point(folder + "/last.pt", to: folder + "/epoch_2.pt", isFolder: false, floor: .hardlink)
        try PointerWriter.point(folder + "/best.pt", to: folder + "/epoch_2.pt", isFolder: false, floor: .hardlink)
        #expect(CkptCheck.inode(folder + "/last.pt") == CkptCheck.inode(folder + "/epoch_2.pt"))
        #expect(CkptCheck.inode(folder + "/best.pt") == CkptCheck.inode(folder + "/epoch_2.pt"))
        #expect(try Disk.text(folder + "/epoch_1.pt") == "one")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["best.pt", "epoch_1.pt", "epoch_2.pt", "last.pt"])
    }

    @Test func aFolderCannotBeHardLinkedSoItIsCopied() throws {
        let (directory, folder) = try Self.setUp()
        defer { _ = directory }
        try Disk.write("weights", to: folder + "/ckpt_1/model.pth")
        try Disk.write("{}", to: folder + "/ckpt_1/sub/config.json")
        let mechanism = try PointerWriter.point(folder + "/best_model", to: folder + "/ckpt_1", isFolder: true, floor: .hardlink)
        #expect(mechanism == .copy)
        #expect(Disk.isDirectory(folder + "/best_model") && !CkptCheck.isSymlink(folder + "/best_model"))
        #expect(try Disk.text(folder + "/best_model/model.pth") == "weights")
        #expect(try Disk.text(folder + "/best_model/sub/config.json") == "{}")
        #expect(try StagedCheckpoint.digest(of: folder + "/best_model", isFolder: true).sha256
                == (try StagedCheckpoint.digest(of: folder + "/ckpt_1", isFolder: true).sha256))
    }

    @Test func aCopiedFilePointerIsIndependentOfItsTarget() throws {
        let (directory, folder) = try Self.setUp()
        defer { _ = directory }
        try Disk.write("one", to: folder + "/epoch_1.pt")
        #expect(try PointerWriter.point(folder + "/best.pt", to: folder + "/epoch_1.pt", isFolder: false, floor: .copy) == .copy)
        #expect(CkptCheck.inode(folder + "/best.pt") != CkptCheck.inode(folder + "/epoch_1.pt"))
        #expect(try CkptCheck.sha256sum(folder + "/best.pt") == (try CkptCheck.sha256sum(folder + "/epoch_1.pt")))
        try FileManager.default.removeItem(atPath: folder + "/epoch_1.pt")
        #expect(try Disk.text(folder + "/best.pt") == "one")
        PointerWriter.remove(folder + "/best.pt")
        #expect(!Disk.exists(folder + "/best.pt"))
    }

    @Test func aCopiedFolderPointerIsReplacedWhole() throws {
        let (directory, folder) = try Self.setUp()
        defer { _ = directory }
        try Disk.write("A", to: folder + "/ckpt_1/model.pth")
        try Disk.write("A", to: folder + "/ckpt_1/only_in_a.txt")
        try Disk.write("B", to: folder + "/ckpt_2/model.pth")
        let pointer = folder + "/best_model"
        #expect(try PointerWriter.point(pointer, to: folder + "/ckpt_1", isFolder: true, floor: .copy) == .copy)
        #expect(try PointerWriter.point(pointer, to: folder + "/ckpt_2", isFolder: true, floor: .copy) == .copy)
        #expect(try FileManager.default.contentsOfDirectory(atPath: pointer) == ["model.pth"])
        #expect(try Disk.text(pointer + "/model.pth") == "B")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["best_model", "ckpt_1", "ckpt_2"])
        // From a copied folder back to a symlink, and from a symlink to a copy.
        #expect(try PointerWriter.point(pointer, to: folder + "/ckpt_1", isFolder: true, floor: .symlink) == .symlink)
        #expect(CkptCheck.linkTarget(pointer) == "ckpt_1")
        #expect(try PointerWriter.point(pointer, to: folder + "/ckpt_2", isFolder: true, floor: .copy) == .copy)
        #expect(!CkptCheck.isSymlink(pointer))
        #expect(try Disk.text(pointer + "/model.pth") == "B")
        #expect(try Disk.text(folder + "/ckpt_1/model.pth") == "A")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["best_model", "ckpt_1", "ckpt_2"])
    }

    /// A reader that looks at a copied folder pointer while it is replaced again and again always
    /// finds a whole checkpoint, never nothing.
    @Test func aCopiedFolderPointerIsNeverMissingWhileReplaced() throws {
        let (directory, folder) = try Self.setUp()
        defer { _ = directory }
        try Disk.write("A", to: folder + "/ckpt_1/model.pth")
        try Disk.write("B", to: folder + "/ckpt_2/model.pth")
        let pointer = folder + "/best_model"
        try PointerWriter.point(pointer, to: folder + "/ckpt_1", isFolder: true, floor: .copy)
        let reader = FileReader(path: pointer + "/model.pth")
        let thread = Thread { reader.run() }
        thread.start()
        reader.waitUntilStarted()
        for i in 0..<400 {
            try PointerWriter.point(pointer, to: folder + (i % 2 == 0 ? "/ckpt_2" : "/ckpt_1"), isFolder: true, floor: .copy)
        }
        let (reads, misses) = reader.stop()
        #expect(reads > 0)
        #expect(misses == 0, "the pointer was missing in \(misses) of \(reads) reads")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["best_model", "ckpt_1", "ckpt_2"])
    }

    @Test func aSaveRecordsTheMechanismOfEachPointer() throws {
        let f = try CheckpointFixture()
        let ckpts = try f.open()
        try ckpts.save(Ckpt.at(1, ["val_loss": 0.5], policy: CheckpointPolicy(monitor: "val_loss")))
        let pointers = try f.view().state.pointers
        #expect(pointers["best"]?.mechanism == PointerWriter.floor.rawValue)
        #expect(pointers["last"]?.mechanism == PointerWriter.floor.rawValue)
        #expect(pointers["best"]?.path == "checkpoints/best.pt")
    }
}

/// Reads a file in a loop on another thread, counting the reads that found nothing.
final class FileReader: @unchecked Sendable {
    private let path: String
    private let lock = NSLock()
    private var stopped = false
    private var reads = 0
    private var misses = 0
    private let done = DispatchSemaphore(value: 0)

    init(path: String) { self.path = path }

    private let started = DispatchSemaphore(value: 0)

    /// Reads until stopped (at least once), then signals.
    func run() {
        var first = true
        while true {
            let fd = open(path, O_RDONLY)
            lock.lock()
            reads += 1
            if fd < 0 { misses += 1 }
            let stop = stopped
            lock.unlock()
            if fd >= 0 { close(fd) }
            if first { started.signal(); first = false }
            if stop { break }
        }
        done.signal()
    }

    /// Waits until the reader has read once.
    func waitUntilStarted() { started.wait() }

    /// Stops the loop and waits for it; returns the counts.
    func stop() -> (reads: Int, misses: Int) {
        lock.lock()
        stopped = true
        lock.unlock()
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        return (reads, misses)
    }
}
