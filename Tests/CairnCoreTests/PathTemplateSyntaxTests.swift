import CairnCore
import Foundation
import Testing

/// One row of a render/match table: template, fields, the path they render to.
struct TemplateCase: Sendable, CustomTestStringConvertible {
    let template: String
    let fields: LayoutFields
    let path: String
    var testDescription: String { "\(template) ⇄ \(path)" }
}

@Suite("PathTemplate syntax")
struct PathTemplateSyntaxTests {
    static let roundTrips: [TemplateCase] = [
        .init(template: "run.json", fields: [:], path: "run.json"),
        .init(template: "a{{b}}c/{x}", fields: ["x": "v"], path: "a{b}c/v"),
        .init(template: "{arch}/{exp_tag}", fields: ["arch": "resnet18", "exp_tag": "aug-strong"], path: "resnet18/aug-strong"),
        .init(template: "{experiment:path}/{run_id}", fields: ["experiment": "vae/baseline/v2", "run_id": "r1"], path: "vae/baseline/v2/r1"),
        .init(template: "e{n:int}", fields: ["n": 42], path: "e42"),
        .init(template: "e{n:d}", fields: ["n": -7], path: "e-7"),
        .init(template: "e{n:int}", fields: ["n": 0], path: "e0"),
        .init(template: "epoch_{epoch:03}.pt", fields: ["epoch": 7], path: "epoch_007.pt"),
        .init(template: "epoch_{epoch:03d}.pt", fields: ["epoch": 1234], path: "epoch_1234.pt"),
        .init(template: "epoch_{epoch:03}.pt", fields: ["epoch": -7], path: "epoch_-07.pt"),
        .init(template: "s_{score:.4f}.pt", fields: ["score": .float(0.831, text: "0.8310")], path: "s_0.8310.pt"),
        .init(template: "s_{score:.2f}", fields: ["score": .float(-12.5, text: "-12.50")], path: "s_-12.50"),
        .init(template: "s_{score:.0f}", fields: ["score": .float(3, text: "3")], path: "s_3"),
        .init(template: "s_{score:float}.pt", fields: ["score": .float(0.1, text: "0.1")], path: "s_0.1.pt"),
        .init(template: "s_{score:float}", fields: ["score": .float(1e-05, text: "1e-05")], path: "s_1e-05"),
        .init(template: "RUN_{start:%Y%m%d_%H%M%S_%f}",
              fields: ["start": .time(LayoutTime(utc: .init(year: 2023, month: 8, day: 15, hour: 23, minute: 59, second: 59, microsecond: 123))!)],
              path: "RUN_20230815_235959_000123"),
        .init(template: "d_{t:%y-%m-%d%%}", fields: ["t": .time(LayoutTime(utc: .init(year: 2024, month: 2, day: 29))!)], path: "d_24-02-29%"),
        .init(template: "log_{start:%b%d_%H_%M_%S}.txt",
              fields: ["start": .partialTime(.init(month: 8, day: 15, hour: 23, minute: 59, second: 59))],
              path: "log_Aug15_23_59_59.txt"),
        .init(template: "best{ext:ext}", fields: ["ext": ".tar.gz"], path: "best.tar.gz"),
        .init(template: "best{ext:ext}", fields: ["ext": ""], path: "best"),
        .init(template: "{a}_{b}", fields: ["a": "x_y", "b": "z"], path: "x_y_z"),
        .init(template: "{name}/{name}.txt", fields: ["name": "n"], path: "n/n.txt"),
        .init(template: "events.out.tfevents.{time:int}.{host}.{pid:int}.{n:int}",
              fields: ["time": 1704067199, "host": "gpu-node-03.example", "pid": 4128, "n": 0],
              path: "events.out.tfevents.1704067199.gpu-node-03.example.4128.0"),
        .init(template: "ünï/{x}", fields: ["x": "çå"], path: "ünï/çå"),
    ]

    @Test(arguments: roundTrips)
    func renderAndMatch(_ row: TemplateCase) throws {
        let template = try PathTemplate(row.template)
        #expect(try template.render(row.fields) == row.path)
        #expect(template.match(row.path) == row.fields)
    }

    @Test(arguments: [
        ("epoch_{e:03}", "epoch_07"), ("epoch_{e:03}", "epoch_0007"), ("e{n:int}", "e007"), ("e{n:int}", "e-0"),
        ("e{n:int}", "e+1"), ("e{n:int}", "e"), ("e{n:int}", "e99999999999999999999999"),
        ("s{x:.4f}", "s0.831"), ("s{x:.4f}", "s0.83100"), ("s{x:.4f}", "s00.8310"), ("s{x:.4f}", "s.8310"),
        ("s{x:float}", "s0.10"), ("s{x:float}", "s1e-5"), ("s{x:float}", "snan"), ("s{x:float}", "s1"),
        ("R{t:%Y%m%d}", "R20230230"), ("R{t:%Y%m%d}", "R20231301"), ("R{t:%Y%m%d}", "R2023081"), ("R{t:%b}", "Raug"),
        ("R{t:%H%M}", "R2400"), ("b{e:ext}", "b."), ("b{e:ext}", "b..pt"), ("b{e:ext}", "bx"),
        ("{a}", "a/b"), ("{a}", ""), ("{a}", ".."), ("{a:path}", "a//b"), ("{a:path}", "a/../b"), ("{a:path}", "/a"),
        ("{a}", "a\u{1}b"), ("{a}", " a"), ("x/{a}", "x/"), ("run.json", "run.jsonx"), ("{a}/{a}", "x/y"),
        ("{a}.{a:int}", "07.7"), ("{a}", "a\\b"),
    ])
    func rejectsWhatRenderCannotProduce(_ template: String, _ path: String) throws {
        #expect(try PathTemplate(template).match(path) == nil)
    }

    @Test func repeatedFieldsWithDifferentFormatsAgree() throws {
        let template = try PathTemplate("{t:%Y}/{t:%Y%m%d}_{e:int}/{e:03}")
        let fields = try #require(template.match("2024/20240105_7/007"))
        #expect(fields["t"] == .time(LayoutTime(utc: .init(year: 2024, month: 1, day: 5))!))
        #expect(fields["e"] == .int(7))
        #expect(template.match("2023/20240105_7/007") == nil)
        #expect(template.match("2024/20240105_8/007") == nil)
    }

    @Test func fixedDecimalsRoundLikePrintf() throws {
        let cases: [(Double, String, String)] = [
            (0.83105, "{x:.4f}", "0.8310"), (2.675, "{x:.2f}", "2.67"), (0.5, "{x:.0f}", "0"), (1.5, "{x:.0f}", "2"),
            (2.5, "{x:.0f}", "2"), (-0.00001, "{x:.4f}", "-0.0000"), (1e22, "{x:.2f}", "10000000000000000000000.00"),
            (Double.leastNonzeroMagnitude, "{x:.3f}", "0.000"), (0.1, "{x:.20f}", "0.10000000000000000555"), (123.456, "{x:.1f}", "123.5"),
        ]
        for (value, text, expected) in cases {
            #expect(try PathTemplate(text).render(["x": .float(value, text: nil)]) == expected)
        }
    }

    @Test func renderConvertsSensibly() throws {
        #expect(try PathTemplate("e{n:03}").render(["n": "12"]) == "e012")
        #expect(try PathTemplate("e{n:int}").render(["n": .float(4, text: nil)]) == "e4")
        #expect(try PathTemplate("{s}").render(["s": 3]) == "3")
        #expect(try PathTemplate("{s}").render(["s": .float(0.5, text: "0.50")]) == "0.50")
        #expect(try PathTemplate("{x:.4f}").render(["x": 1]) == "1.0000")
        #expect(try PathTemplate("{x:.4f}").render(["x": "0.25"]) == "0.2500")
        #expect(try PathTemplate("{x:.4f}").render(["x": .float(0.25, text: "0.25")]) == "0.2500")
        #expect(try PathTemplate("{x:float}").render(["x": 3]) == "3.0")
        let time = LayoutTime(microsecondsSinceEpoch: 1_704_067_199_999_999)
        #expect(try PathTemplate("t{x:int}").render(["x": .time(time)]) == "t1704067199")
        #expect(try PathTemplate("log_{x:%b%d_%H_%M_%S}.txt").render(["x": .time(time)]) == "log_Dec31_23_59_59.txt")
    }

    @Test(arguments: [
        ("", "empty"), ("/abs/{x}", "starts with '/'"), ("a}b", "position 2"), ("a{x", "never closed"),
        ("{x:foo}", "unknown format 'foo' at position 4"), ("{1x}", "field name"), ("{}", "field name"),
        ("{x:}", "unknown format"), ("{x:3}", "unknown format"), ("{x:%Q}", "%Q"), ("{x:%}", "'%' at the end"),
        ("{x:.f}", "unknown format"), ("{x:00}", "unknown format"), ("{a{b}}", "'{' inside"), ("{x:%%}", "without a directive"),
    ])
    func badTemplatesThrow(_ text: String, _ expected: String) {
        do {
            _ = try PathTemplate(text)
            Issue.record("'\(text)' parsed")
        } catch {
            #expect(error.kind == .layout)
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test(arguments: [
        ("{a}/x", LayoutFields(), "needs the field 'a'"),
        ("{a}/x", ["a": "p/q"], "contains '/'"),
        ("{a}/x", ["a": ".."], "'..'"),
        ("{a}/x", ["a": "."], "'.'"),
        ("{a}/x", ["a": ""], "empty"),
        ("{a}/x", ["a": "a\u{7}"], "control character"),
        ("{a:path}/x", ["a": "p/../q"], "'..'"),
        ("{a:path}/x", ["a": "/p"], "empty"),
        ("x{a:ext}", ["a": "pt"], "extension"),
        ("x{a:ext}", ["a": "./pt"], "extension"),
        ("{a:ext}", ["a": ""], "empty"),
        ("e{n:int}", ["n": "twelve"], "an integer"),
        ("e{n:int}", ["n": .partialTime(.init(month: 1))], "an integer"),
        ("s{x:.4f}", ["x": .float(.nan, text: nil)], "finite"),
        ("s{x:float}", ["x": .float(.infinity, text: nil)], "finite"),
        ("{x:%Y%m}", ["x": .partialTime(.init(month: 1))], "no year"),
        ("{x:%Y}", ["x": "2024"], "a time"),
        ("{x:%Y}", ["x": .partialTime(.init(year: 12_000))], "outside"),
        ("{x}{y}", ["x": "a", "y": " "], "white space"),
    ] as [(String, LayoutFields, String)])
    func renderErrors(_ text: String, _ fields: LayoutFields, _ expected: String) throws {
        let template = try PathTemplate(text)
        do {
            let path = try template.render(fields)
            Issue.record("rendered '\(path)'")
        } catch {
            #expect(error.kind == .layout)
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(error.message.contains(text) || error.message.contains("template"), "\(error.message)")
        }
    }

    @Test func fieldNamesAreUniqueAndOrdered() throws {
        let template = try PathTemplate("{b}/{a}_{b}/{c:int}")
        #expect(template.fieldNames == ["b", "a", "c"])
        #expect(template.shape == "B/A_B/C")
    }

    @Test func codableAsText() throws {
        let template = try PathTemplate("checkpoint_{epoch:int}_{step:int}.pt")
        #expect(template == (try PathTemplate("checkpoint_{epoch:int}_{step:int}.pt")))
        #expect(template.description == template.text)
        let data = try JSONEncoder().encode([template])
        #expect(String(decoding: data, as: UTF8.self) == #"["checkpoint_{epoch:int}_{step:int}.pt"]"#)
        #expect(try JSONDecoder().decode([PathTemplate].self, from: data) == [template])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([PathTemplate].self, from: Data(#"["{x:bad}"]"#.utf8)) }
    }

    @Test func partialTimesResolveWithAYear() throws {
        let fields = try #require(try PathTemplate("log_{start:%b%d_%H_%M_%S}.txt").match("log_Feb29_12_00_01.txt"))
        guard case .partialTime(let c) = fields["start"] else {
            Issue.record("not a partial time")
            return
        }
        #expect(c == LayoutTime.Components(month: 2, day: 29, hour: 12, minute: 0, second: 1))
        #expect(c.resolved(year: 2024)?.iso8601 == "2024-02-29T12:00:01.000000Z")
        #expect(c.resolved(year: 2023) == nil)
    }

    @Test func layoutTimeConvertsToTimestamp() {
        let time = LayoutTime(microsecondsSinceEpoch: -1)
        #expect(time.iso8601 == "1969-12-31T23:59:59.999999Z")
        #expect(time.timestamp.millisecondsSinceEpoch == -1)
        let ts = Timestamp(millisecondsSinceEpoch: 1_692_143_999_123)
        #expect(LayoutTime(ts).timestamp == ts)
        #expect(LayoutTime(ts).utc.microsecond == 123_000)
    }
}
