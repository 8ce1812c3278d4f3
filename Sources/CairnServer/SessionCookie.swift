import CairnKit
import Hummingbird

/// The web UI's login: once the token is given on the login page, the browser keeps a session cookie
/// (`HttpOnly`, `SameSite=Strict`, so scripts cannot read it and other sites cannot send it) whose value
/// is derived from the token (its SHA-256 with a fixed prefix), never the token itself.
struct SessionCookie: Sendable {
    static let name = "cairn_session"
    /// How long a login lasts: 30 days.
    static let maximumAge = 30 * 24 * 3600

    /// The cookie's value for this server's token.
    let value: [UInt8]

    init(token: String) {
        value = Array(SHA256Digest.hex(of: Array("cairn-ui-session\u{0}".utf8) + Array(token.utf8)).utf8)
    }

    /// The `Set-Cookie` header that logs a browser in.
    var setting: String {
        "\(Self.name)=\(String(decoding: value, as: UTF8.self)); Path=/; Max-Age=\(Self.maximumAge); HttpOnly; SameSite=Strict"
    }

    /// The `Set-Cookie` header that logs it out.
    static let clearing = "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"

    /// The session cookie a request carries, if any.
    static func presented(_ request: Request) -> [UInt8]? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                guard let equals = trimmed.firstIndex(of: "="), trimmed[..<equals] == name else { continue }
                return Array(trimmed[trimmed.index(after: equals)...].utf8)
            }
        }
        return nil
    }
}
