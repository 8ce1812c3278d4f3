import CairnCore
import CairnFormats
import CairnTestSupport
import Foundation
import Testing

/// Damaged and hostile checkpoints give one clear error (or, for a global Cairn does not know, an opaque
/// entry naming it, with the tensors still listed); nothing crashes, nothing is executed, and seeded
/// mutations of real checkpoints only ever read or fail cleanly.
@Suite struct TorchHostileInputTests {
    static let stateDict = PackagePaths.shared.appendingPathComponent("fixtures/interop/torch/state_dict.pt")

    /// A checkpoint whose data.pkl is `pickle` and whose storages are `storages` (key → bytes).
    static func archive(_ pickle: [UInt8], storages: [(String, [UInt8])] = [], prefix: String = "m") -> [UInt8] {
        var zip = ZipWriter()
        var out = zip.entry(prefix + "/data.pkl", pickle)
        for (key, bytes) in storages { out += zip.entry(prefix + "/data/" + key, bytes) }
        out += zip.entry(prefix + "/version", Array("3\n".utf8))
        return out + zip.finish()
    }

    static func error(_ bytes: [UInt8]) -> CairnError? {
        do throws(CairnError) {
            _ = try TorchFixtureTests.read(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// A pickle from readable pieces: strings are ASCII opcodes and arguments, arrays raw bytes.
    static func pickle(_ parts: [Any]) -> [UInt8] {
        var out: [UInt8] = [0x80, 0x02]
        for part in parts {
            if let text = part as? String { out += Array(text.utf8) } else if let raw = part as? [UInt8] { out += raw }
        }
        return out + Array(".".utf8)
    }

    /// `X` (BINUNICODE) of a string.
    static func unicode(_ text: String) -> [UInt8] {
        [UInt8(ascii: "X")] + withUnsafeBytes(of: UInt32(text.utf8.count).littleEndian, Array.init) + Array(text.utf8)
    }

    /// `_rebuild_tensor_v2(('storage', FloatStorage, key, 'cpu', numel), offset, shape, stride, False, OrderedDict())`.
    static func tensorCall(key: String, numel: Int, offset: Int = 0, shape: [UInt8], stride: [UInt8]) -> [Any] {
        ["ctorch._utils\n_rebuild_tensor_v2\n((", unicode("storage"), "ctorch\nFloatStorage\n", unicode(key), unicode("cpu"),
         [UInt8(ascii: "K"), UInt8(numel)], "tQ", [UInt8(ascii: "K"), UInt8(offset)],
         "(", shape.flatMap { [UInt8(ascii: "K"), $0] }, "t(", stride.flatMap { [UInt8(ascii: "K"), $0] }, "t",
         [0x89], "ccollections\nOrderedDict\n)RtR"]
    }

    @Test func aGlobalCairnDoesNotKnowIsAnOpaqueEntryAndTheTensorsAreStillListed() throws {
        // {'evil': os.system('touch /tmp/x'), 'w': tensor} — os.system is named, never called.
        let marker = try TemporaryDirectory().appending("executed").path
        let pickle = Self.pickle(["}(", Self.unicode("evil"), "cos\nsystem\n", Self.unicode("touch " + marker), [0x85], "R",
                                  Self.unicode("w")] + Self.tensorCall(key: "0", numel: 6, shape: [2, 3], stride: [3, 1]) + ["u"])
        let bytes = Self.archive(pickle, storages: [("0", [UInt8](repeating: 0, count: 24))])
        let checkpoint = try TorchFixtureTests.read(bytes)
        #expect(checkpoint.root["evil"] == .object("os.system", [.string("touch " + marker)]))
        #expect(checkpoint.root.tensors.map(\.name) == ["w"] && checkpoint.globals.contains("os.system"))
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func damagedPicklesAreRefusedClearly() {
        let cases: [(String, [UInt8])] = [
            ("an unknown opcode", Self.pickle(["\u{7F}"])),
            ("a memo never stored", Self.pickle(["h\u{05}"])),
            ("a stack underflow", Self.pickle(["R"])),
            ("a MARK missing", Self.pickle(["t"])),
            ("no STOP", [0x80, 0x02, UInt8(ascii: "N")]),
            ("a string longer than the pickle", [0x80, 0x02, UInt8(ascii: "X"), 0xFF, 0xFF, 0xFF, 0x7F, 0x41]),
            ("a LONG4 longer than the pickle", [0x80, 0x02, 0x8B, 0xFF, 0xFF, 0xFF, 0xFF]),
            ("a BINUNICODE8 beyond any size", [0x80, 0x02, 0x8D] + [UInt8](repeating: 0xFF, count: 8)),
            ("appending to a string", Self.pickle([Self.unicode("s"), "Na"])),
            ("setting items of a list", Self.pickle(["](NNu"])),
            ("nesting 100,000 lists", [0x80, 0x02] + [UInt8](repeating: UInt8(ascii: "]"), count: 100_000)
                + [UInt8](repeating: UInt8(ascii: "a"), count: 99_999) + Array(".".utf8)),
            ("a list that doubles 60 times", Self.pickle(["]q\u{00}"] + (0..<60).map { _ in "h\u{00}h\u{00}\u{86}q\u{00}" })),
            ("a storage id missing its numel", Self.pickle(["(", Self.unicode("storage"), "ctorch\nFloatStorage\n", Self.unicode("0"), "\u{86}Q"])),
            ("a tensor past its storage", Self.pickle(Self.tensorCall(key: "0", numel: 4, offset: 2, shape: [3], stride: [1]))),
            ("a tensor whose strides do not match its shape", Self.pickle(Self.tensorCall(key: "0", numel: 4, shape: [2, 2], stride: [1]))),
        ]
        for (what, pickle) in cases {
            let error = Self.error(Self.archive(pickle, storages: [("0", [UInt8](repeating: 0, count: 16))]))
            #expect(error?.kind == .corrupt, "\(what): \(error?.description ?? "read")")
        }
        // A list holding itself is shown, not followed forever.
        let cyclic = Self.pickle(["]q\u{00}h\u{00}a"])
        #expect((try? TorchFixtureTests.read(Self.archive(cyclic)))?.root == .list([.object("<recursive reference>", [])]))
    }

    /// A view with a zero stride of 2^40 elements over a one-element storage lists fine, and reading it
    /// is refused instead of gathering 4 TiB.
    @Test func anExpandedViewIsNotGatheredBeyondTheFile() throws {
        let huge: [UInt8] = [0x8A, 0x06, 0, 0, 0, 0, 0, 0x01]   // LONG1 2^40
        let pickle = Self.pickle(["ctorch._utils\n_rebuild_tensor_v2\n((", Self.unicode("storage"), "ctorch\nFloatStorage\n",
                                  Self.unicode("0"), Self.unicode("cpu"), [UInt8(ascii: "K"), 1], "tQ", [UInt8(ascii: "K"), 0],
                                  "(", huge, "t(", [UInt8(ascii: "K"), 0], "t", [0x89], "ccollections\nOrderedDict\n)RtR"])
        let bytes = Self.archive(pickle, storages: [("0", [0, 0, 128, 63])])
        let checkpoint = try TorchFixtureTests.read(bytes)
        guard case .tensor(let tensor) = checkpoint.root else { Issue.record("not a tensor"); return }
        #expect(tensor.shape == [1 << 40] && tensor.stride == [0])
        #expect(throws: CairnError.self) { try TorchFixtureTests.data(of: tensor, in: checkpoint, bytes) }
    }

    @Test func damagedArchivesAreRefusedClearly() throws {
        let good = try [UInt8](Data(contentsOf: Self.stateDict))
        let storage = Self.pickle(Self.tensorCall(key: "0", numel: 6, shape: [6], stride: [1]))
        var wrongCount = good
        wrongCount[good.count - 12] = 0xFF     // the end record's entry count
        let cases: [(String, [UInt8], CairnError.Kind)] = [
            ("an empty file", [], .unsupportedFormat),
            ("a legacy torch.save file", [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E], .unsupportedFormat),
            ("a file cut in half", Array(good.prefix(good.count / 2)), .corrupt),
            ("a file without its last byte", Array(good.dropLast()), .corrupt),
            ("no data.pkl", Self.archive([]).replacing(Array("data.pkl".utf8), with: Array("data.pkX".utf8)), .corrupt),
            ("a storage missing", Self.archive(storage), .corrupt),
            ("a storage of the wrong size", Self.archive(storage, storages: [("0", [1, 2, 3])]), .corrupt),
            ("a lying directory", wrongCount, .corrupt),
        ]
        for (what, bytes, kind) in cases {
            let error = Self.error(bytes)
            #expect(error?.kind == kind, "\(what): \(error?.description ?? "read")")
        }
    }

    @Test func mutationsNeverCrash() throws {
        var random = SeededGenerator(seed: 1950)
        let bases = try ["state_dict.pt", "checkpoint_full.pt"].map {
            try [UInt8](Data(contentsOf: PackagePaths.shared.appendingPathComponent("fixtures/interop/torch/" + $0)))
        }
        var read = 0, refused = 0
        for round in 0..<3_000 {
            var bytes = bases[round % 2]
            // Mostly inside data.pkl (from byte 64), where the pickle lives; sometimes anywhere.
            let pickleEnd = min(bytes.count, round % 2 == 0 ? 64 + 473 : 64 + 1623)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            case 1, 2:
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    bytes[Int.random(in: 64..<pickleEnd, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 3: bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            default:
                let at = Int.random(in: 64..<pickleEnd, using: &random)
                bytes.replaceSubrange(at..<at + 1, with: [UInt8](repeating: UInt8.random(in: 0...255, using: &random), count: 1))
                bytes[at] = [0x8A, UInt8(ascii: "X"), UInt8(ascii: "h"), UInt8(ascii: "R"), 0x93].randomElement(using: &random)!
            }
            if let error = Self.error(bytes) {
                #expect(!error.message.isEmpty && [.corrupt, .unsupportedFormat].contains(error.kind), "\(error)")
                refused += 1
            } else {
                read += 1
            }
        }
        #expect(read > 100 && refused > 100, "read \(read), refused \(refused)")
    }
}
