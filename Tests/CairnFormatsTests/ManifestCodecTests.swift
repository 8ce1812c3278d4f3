import CairnCore
import CairnFormats
import Testing
import CairnTestSupport

@Suite struct ManifestCodecTests {
    static let time = Timestamp(millisecondsSinceEpoch: 1_767_225_600_123)  // 2026-01-01T00:00:00.123Z

    static let everyKind: [ManifestEvent] = [
        .begin(.init(seq: 1, path: "checkpoints/epoch_0001.pt", epoch: 1, step: 500,
                     metrics: ["val_loss": 0.25, "acc": 0.1, "nan": .nan, "up": .infinity, "down": -.infinity,
                               "tiny": 1e-300, "big": 1.7976931348623157e308, "neg": -0.0, "int": 3],
                     bytes: 123_456_789_012, sha256: String(repeating: "0f", count: 32), time: time)),
        .begin(.init(seq: 2, path: "checkpoints/épreuve 🙂/\"q\"\\back\nline\u{1}\u{2028}", kind: .folder, epoch: 0,
                     bytes: 0, sha256: "", files: ["a.bin", "sous-dossier/ü.json"], replaces: 1, time: time)),
        .commit(.init(seq: 1, policy: ["save_strategy": "best", "monitor": "val_loss", "keep_epochs": [10, 15],
                                       "nested": ["x": 1.5, "y": .null, "z": true]],
                      decision: "kept: best by val_loss (min); last", time: time)),
        .commit(.init(seq: 2, time: time)),
        .abort(.init(seq: 3, reason: "disk full", time: time)),
        .prune(.init(seq: 1, reason: "not among the top 3 by val_loss (min)", time: time)),
        .verify(.init(seq: 2, sha256: "ab", ok: false, time: time)),
        .pointer(.init(name: "best", seq: 2, path: "checkpoints/best.pt", mechanism: "symlink", time: time)),
    ]

    @Test func roundTripsEveryKind() throws {
        let bytes = ManifestCodec.encode(Self.everyKind)
        let decoded = try ManifestCodec.decode(bytes, path: "m.jsonl")
        #expect(decoded.events == Self.everyKind)
        #expect(decoded.validBytes == bytes.count)
        #expect(!decoded.tornTail)
        #expect(bytes.filter { $0 == 0x0A }.count == Self.everyKind.count)
    }

    @Test func lineFormat() {
        let begin = ManifestEvent.begin(.init(seq: 7, path: "checkpoints/e.pt", epoch: 3, step: 1200,
                                               metrics: ["val_loss": 0.1, "acc": .nan], bytes: 10, sha256: "ab",
                                               time: Self.time))
        #expect(String(decoding: ManifestCodec.encode(begin), as: UTF8.self)
            == #"{"event":"begin","time":"2026-01-01T00:00:00.123Z","seq":7,"path":"checkpoints/e.pt","kind":"file","epoch":3,"step":1200,"metrics":{"acc":"nan","val_loss":0.1},"bytes":10,"sha256":"ab"}"# + "\n")
        let commit = ManifestEvent.commit(.init(seq: 7, policy: ["top_k": 3, "monitor": "val_loss"],
                                                decision: "kept", time: Self.time))
        #expect(String(decoding: ManifestCodec.encode(commit), as: UTF8.self)
            == #"{"event":"commit","time":"2026-01-01T00:00:00.123Z","seq":7,"policy":{"top_k":3,"monitor":"val_loss"},"decision":"kept"}"# + "\n")
        let pointer = ManifestEvent.pointer(.init(name: "last", seq: 7, path: "checkpoints/last.pt",
                                                  mechanism: "hardlink", time: Self.time))
        #expect(String(decoding: ManifestCodec.encode(pointer), as: UTF8.self)
            == #"{"event":"pointer","time":"2026-01-01T00:00:00.123Z","name":"last","seq":7,"path":"checkpoints/last.pt","mechanism":"hardlink"}"# + "\n")
    }

    @Test func floatsRoundTripBitForBit() throws {
        var random = SeededGenerator(seed: 42)
        var values: [Double] = [0.1, 0.2, 1e-10, 123_456.789, .leastNonzeroMagnitude, 2.2250738585072014e-308, 9007199254740992,
                                0.30000000000000004, 1e22, 1e23, -1.5, 100]
        for _ in 0..<20_000 {
            let bits = random.next()
            let value = Double(bitPattern: bits)
            if value.isFinite { values.append(value) }
            values.append(Double(Int64(bitPattern: bits) % 1_000_000) / 1000)
        }
        var events: [ManifestEvent] = []
        for (i, chunk) in stride(from: 0, to: values.count, by: 50).enumerated() {
            var metrics: [String: Double] = [:]
            for (j, v) in values[chunk..<min(chunk + 50, values.count)].enumerated() { metrics["m\(j)"] = v }
            events.append(.begin(.init(seq: i, path: "p", epoch: 0, metrics: metrics, bytes: 0, sha256: "",
                                       time: Self.time)))
        }
        let decoded = try ManifestCodec.decode(ManifestCodec.encode(events), path: "m")
        for (a, b) in zip(events, decoded.events) {
            guard case .begin(let x) = a, case .begin(let y) = b else { Issue.record("not a begin"); continue }
            for (key, v) in x.metrics { #expect(y.metrics[key]?.bitPattern == v.bitPattern, "\(v)") }
        }
    }

    @Test(arguments: [
        ("no newline", #"{"event":"prune","time":"2026-01-01T00:00:00.000Z","seq":1,"reason":"x"}"#),
        ("half a line", #"{"event":"begin","time":"2026-01-01T00:00:00.000Z","seq":4,"pa"#),
        ("garbage", "\u{0}\u{0}\u{0}\u{FFFD}zz"),
        ("garbage line", "#!corrupted line\n"),
        ("half a line with newline", "{\"event\":\"commit\",\"seq\":2\n"),
    ])
    func tornTail(_ label: String, _ tail: String) throws {
        let good = ManifestCodec.encode(Array(Self.everyKind.prefix(3)))
        let decoded = try ManifestCodec.decode(good + Array(tail.utf8), path: "m.jsonl")
        #expect(decoded.tornTail, "\(label)")
        #expect(decoded.validBytes == good.count)
        #expect(decoded.events == Array(Self.everyKind.prefix(3)))
    }

    @Test func emptyAndBlank() throws {
        let empty = try ManifestCodec.decode([], path: "m")
        #expect(empty.events.isEmpty && empty.validBytes == 0 && !empty.tornTail)
        let line = ManifestCodec.encode(Self.everyKind[4])
        let blanks = try ManifestCodec.decode(Array("\n  \n".utf8) + line + Array("\r\n".utf8), path: "m")
        #expect(blanks.events == [Self.everyKind[4]])
        #expect(!blanks.tornTail)
        #expect(blanks.validBytes == 4 + line.count + 2)
    }

    @Test func corruptMiddleLineIsAnError() {
        let lines = ManifestCodec.encode(Array(Self.everyKind.prefix(2))) + Array("{\"event\":\"begin\",\n".utf8)
            + ManifestCodec.encode(Self.everyKind[4])
        #expect {
            try ManifestCodec.decode(lines, path: "runs/r1/checkpoints.jsonl")
        } throws: { error in
            let e = error as? CairnError
            return e?.kind == .corrupt && e?.message == "'runs/r1/checkpoints.jsonl' line 3 is not a manifest event"
                && e?.hint != nil && e?.cause != nil
        }
    }

    @Test(arguments: [
        #"{"event":"begin","seq":1}"#,  // required fields missing
        #"{"seq":1,"time":"2026-01-01T00:00:00.000Z"}"#,  // no event
        #"{"event":"commit","seq":1.5,"time":"2026-01-01T00:00:00.000Z"}"#,  // a fraction for an integer
        #"{"event":"commit","seq":"1","time":"2026-01-01T00:00:00.000Z"}"#,
        #"{"event":"commit","seq":1,"time":"yesterday"}"#,
        #"{"event":"commit","seq":1,"time":"2026-01-01T00:00:00.000Z"} x"#,
        #"{"event":"commit","seq":1,"time":"2026-01-01T00:00:00.000Z",}"#,
        #"{"event":"begin","seq":1,"path":"p","kind":"blob","epoch":1,"bytes":1,"sha256":"","time":"2026-01-01T00:00:00.000Z"}"#,
        #"{"event":"commit","seq":99999999999999999999,"time":"2026-01-01T00:00:00.000Z"}"#,
        "[1, 2]",
    ])
    func badLines(_ line: String) {
        let bytes = Array((line + "\n").utf8) + ManifestCodec.encode(Self.everyKind[4])
        #expect(throws: CairnError.self) { try ManifestCodec.decode(bytes, path: "m") }
    }

    @Test func unknownFieldsAndEventsAreSkipped() throws {
        let text = """
            {"event":"rename","seq":1,"time":"2026-01-01T00:00:00.000Z","to":"x"}
            { "extra" : {"deep": [1, {"a": null}, "s", -2.5e3, true]}, "event" : "abort", "seq" : 3 , "reason" : "disk full", "time" : "2026-01-01T00:00:00.123Z", "later": "field" }
            {"event":"commit","seq":2,"time":"2026-01-01T00:00:00.123Z","policy":null,"decision":null}

            """
        let decoded = try ManifestCodec.decode(Array(text.utf8), path: "m")
        #expect(decoded.events == [Self.everyKind[4], .commit(.init(seq: 2, time: Self.time))])
        #expect(!decoded.tornTail)
    }

    @Test func readsOtherSpellings() throws {
        // Escaped keys and strings, Python's NaN/Infinity, times without milliseconds, a default kind.
        let text = #"{"ev\u0065nt":"begin","seq":1,"path":"caf\u00e9 \ud83d\ude42\/x","epoch":2,"bytes":5,"sha256":"ab","#
            + #""metrics":{"a":NaN,"b":-Infinity,"c":Infinity,"d":null,"e":1E2,"f":"inf"},"time":"2026-01-01T00:00:01Z"}"#
            + "\n"
        let decoded = try ManifestCodec.decode(Array(text.utf8), path: "m")
        guard case .begin(let begin) = decoded.events.first else {
            Issue.record("no begin")
            return
        }
        #expect(begin.path == "café 🙂/x")
        #expect(begin.kind == .file)
        #expect(begin.metrics["a"]?.isNaN == true && begin.metrics["d"]?.isNaN == true)
        #expect(begin.metrics["b"] == -.infinity && begin.metrics["c"] == .infinity && begin.metrics["f"] == .infinity)
        #expect(begin.metrics["e"] == 100)
        #expect(begin.time == Timestamp(millisecondsSinceEpoch: 1_767_225_601_000))
    }

    @Test func feedsTheState() throws {
        let bytes = ManifestCodec.encode(Self.everyKind)
        let state = ManifestState(events: try ManifestCodec.decode(bytes, path: "m").events)
        #expect(state.entries.count == 2)
        // Seq 2 overwrote seq 1's file when it committed, so the later prune finds it already replaced.
        #expect(state[seq: 1]?.status == .replaced(bySeq: 2))
        #expect(state[seq: 2]?.status == .kept)
        #expect(state[seq: 2]?.verified == false)
        #expect(state.pointers["best"]?.path == "checkpoints/best.pt")
    }
}

