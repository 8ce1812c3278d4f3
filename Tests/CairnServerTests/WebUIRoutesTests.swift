import Foundation
import Testing
import CairnTestSupport
import CairnWebUI
@testable import CairnServer

/// The web UI's pieces that need no server: the login form's decoding (any token a browser can send),
/// the paths the UI folder refuses, content types and entity tags, and download names.
@Suite struct WebUIRoutesTests {
    /// How a browser encodes a form field (`application/x-www-form-urlencoded`): space as `+`, the
    /// unreserved characters as they are, every other byte as `%XX`.
    static func formEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: " "): result += "+"
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "*"):
                result += String(UnicodeScalar(byte))
            default: result += String(format: "%%%02X", byte)
            }
        }
        return result
    }

    @Test func anyTokenABrowserSendsIsReadBack() {
        var random = SeededGenerator(seed: 19)
        let alphabet = Array("abcXYZ019 +&=%?#;:/\\\"'<>é名\u{1F600}\t")
        for _ in 0..<500 {
            let token = String((0..<Int.random(in: 1...24, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? "a" })
            let other = String((0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random) ?? "a" })
            let form = "next=" + Self.formEncoded(other) + "&token=" + Self.formEncoded(token) + "&x=1"
            #expect(WebUIRoutes.formValue("token", in: form) == token, "\(form)")
        }
        #expect(WebUIRoutes.formValue("token", in: "tokens=a") == nil)
        #expect(WebUIRoutes.formValue("token", in: "token") == "")
        #expect(WebUIRoutes.formValue("token", in: "token=%zz") == nil)
    }

    @Test(arguments: ["", "/", "a//b", "../x", "a/../../x", ".env", "a/.git/config", "a\\b", "a\u{0}b", "a\nb", "x/"])
    func pathsOutsideTheUIAreNeverLookedUp(_ path: String) throws {
        let folder = try TemporaryDirectory("cairn-ui-files")
        try "<!doctype html>".write(toFile: folder.path + "/index.html", atomically: true, encoding: .utf8)
        #expect(WebUIFiles.folder(folder.path).asset(path) == nil)
        #expect(WebUIFiles.embedded.asset(path) == nil)
    }

    @Test func aFolderOfTheUIServesItsFilesAndNotItsFolders() throws {
        let folder = try TemporaryDirectory("cairn-ui-files")
        try FileManager.default.createDirectory(atPath: folder.path + "/images", withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder.path + "/images/logo.png"))
        #expect(WebUIFiles.folder(folder.path).asset("images/logo.png")?.bytes == [1, 2, 3])
        #expect(WebUIFiles.folder(folder.path).asset("images") == nil)
        #expect(throws: (any Error).self) { try WebUIFiles.folder(folder.path).validate() }
    }

    @Test(arguments: [("app.js", "text/javascript; charset=utf-8"), ("a/b/style.CSS", "text/css; charset=utf-8"),
                      ("index.html", "text/html; charset=utf-8"), ("logo.svg", "image/svg+xml"), ("README", "application/octet-stream"),
                      (".js", "application/octet-stream"), ("data.bin", "application/octet-stream")])
    func contentTypesFollowTheExtension(_ path: String, _ type: String) {
        #expect(WebAsset(path: path, bytes: []).contentType == type)
    }

    @Test func entityTagsChangeWithTheBytes() {
        let one = WebAsset(path: "a.js", bytes: Array("let a = 1".utf8)).entityTag
        #expect(one == WebAsset(path: "b.js", bytes: Array("let a = 1".utf8)).entityTag)
        #expect(one != WebAsset(path: "a.js", bytes: Array("let a = 2".utf8)).entityTag)
        #expect(one.count == 18 && one.hasPrefix("\"") && one.hasSuffix("\""))
    }

    @Test func theEmbeddedUIHasItsPageAndScripts() {
        #expect(WebAssets.paths.contains("index.html") && WebAssets.paths.contains("login.html") && WebAssets.paths.contains("app.js"))
        #expect(WebAssets.asset("index.html").map { String(decoding: $0.bytes, as: UTF8.self).contains("/ui/app.js") } == true)
    }

    @Test(arguments: [("model.pt", "model.pt"), ("weights file.bin", "weights%20file.bin"), ("a\"b;c.txt", "a%22b%3Bc.txt"),
                      ("名前.txt", "%E5%90%8D%E5%89%8D.txt")])
    func downloadsNameTheirFileSafely(_ name: String, _ encoded: String) {
        #expect(CairnAPIRunFileRoutes.attachment(name) == "attachment; filename*=UTF-8''" + encoded)
    }
}
