import CairnWebUI
import Foundation
import Hummingbird

/// The web UI: `GET /` is the single page (its views are `#/…` routes of the page's script), `GET /ui/FILE`
/// its scripts and styles, and with a token `GET /login` asks for it once while `POST /login` checks it
/// and sets the session cookie (``SessionCookie``); `POST /logout` clears it. Files are sent with an
/// entity tag and `Cache-Control: no-cache`, so a browser asks again each time and gets 304 when unchanged,
/// except under `/ui/v-VERSION/`: the page built into the binary names its files there (``WebAssets/version``
/// changes with any of them, and the modules' relative imports stay under it), so a browser keeps them
/// for good and a returning visit makes one request, for the page.
struct WebUIRoutes: Sendable {
    let files: WebUIFiles
    /// The version the page's file URLs carry (embedded files only; nil for a `--ui-dir` folder).
    let version: String?
    /// The page with its file URLs under `/ui/v-VERSION/` (embedded files only).
    let page: WebAsset?
    /// The session a correct token opens, or nil when the server needs no token.
    let session: SessionCookie?
    let token: [UInt8]?

    /// The longest login form read.
    static let maximumFormBytes = 8192

    init(files: WebUIFiles, token: String?) {
        self.files = files
        if case .embedded = files, let index = files.asset("index.html") {
            version = WebAssets.version
            let text = String(decoding: index.bytes, as: UTF8.self).replacing("\"/ui/", with: "\"/ui/v-\(WebAssets.version)/")
            page = WebAsset(path: "index.html", bytes: Array(text.utf8))
        } else {
            version = nil
            page = nil
        }
        self.token = token.map { Array($0.utf8) }
        session = token.map(SessionCookie.init(token:))
    }

    /// Paths a browser opens as pages (redirected to the login page when it has not logged in).
    static func isPage(_ path: String) -> Bool { path == "/" || path == "/index.html" }

    /// Paths served without the token: the login page, the files it loads, and logging out.
    static func isPublic(_ path: String) -> Bool {
        ["/login", "/logout", "/ui/login.js", "/ui/app.css"].contains(path)
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in self.serve("index.html", request) }
        router.get("index.html") { request, _ in self.serve("index.html", request) }
        router.get("ui/**") { request, _ in
            let path = request.uri.path.dropFirst("/ui/".count)
            // `v-VERSION/FILE`: the current version's files are immutable; another version's (a page cached
            // before an upgrade) get today's file, revalidated as usual.
            if path.hasPrefix("v-"), let slash = path.firstIndex(of: "/") {
                let current = version.map { path.dropFirst(2).prefix(upTo: slash) == $0 } ?? false
                return self.serve(String(path[path.index(after: slash)...]), request, immutable: current)
            }
            return self.serve(String(path), request)
        }
        router.get("login") { request, _ in
            session == nil ? Self.redirect(to: "/") : self.serve("login.html", request)
        }
        router.post("login") { request, _ in try await self.login(request) }
        router.post("logout") { _, _ in
            var response = Self.redirect(to: session == nil ? "/" : "/login")
            response.headers[.setCookie] = SessionCookie.clearing
            return response
        }
    }

    /// The asset at `path` (percent-encoded as requested), 304 when the browser's copy is current, else 404.
    private func serve(_ path: String, _ request: Request, immutable: Bool = false) -> Response {
        let found = path == "index.html" ? page ?? files.asset(path) : PercentDecoding.decode(Substring(path)).flatMap(files.asset)
        guard let asset = found else {
            return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: "No such file of the web UI: /ui/\(path)\n")))
        }
        let tag = asset.entityTag
        let caching = immutable ? "public, max-age=31536000, immutable" : "no-cache"
        if request.headers[values: .ifNoneMatch].contains(where: { $0.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == tag } }) {
            return Response(status: .notModified, headers: [.eTag: tag, .cacheControl: caching])
        }
        return Response(status: .ok, headers: [.contentType: asset.contentType, .eTag: tag, .cacheControl: caching],
                        body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }

    /// `POST /login` with the form field `token`: the session cookie and `/` when it is right, else back
    /// to the login page saying so.
    private func login(_ request: Request) async throws -> Response {
        guard let token, let session else { return Self.redirect(to: "/") }
        let body = try await request.body.collect(upTo: Self.maximumFormBytes)
        let given = Self.formValue("token", in: String(buffer: body)).map { Array($0.utf8) } ?? []
        guard TokenMiddleware.equal(given, token) else { return Self.redirect(to: "/login?failed=1") }
        var response = Self.redirect(to: "/")
        response.headers[.setCookie] = session.setting
        return response
    }

    /// The value of `name` in an `application/x-www-form-urlencoded` body (`+` is a space), or nil.
    static func formValue(_ name: String, in form: String) -> String? {
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.first.flatMap({ PercentDecoding.decode(Substring($0.replacing("+", with: " "))) }) == name else { continue }
            return PercentDecoding.decode(Substring((parts.count > 1 ? parts[1] : "").replacing("+", with: " ")))
        }
        return nil
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
