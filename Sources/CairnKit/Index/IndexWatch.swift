import CairnCore

/// What the index last saw of the store's folders, kept in the index's metadata: the stamp of the
/// experiments' folder, of the adopted pack, of each experiment's registry folder, and when the runs'
/// files were last swept. A query compares these few stamps (one `stat` each) to find new and removed
/// runs without listing the store.
struct IndexWatch: Codable, Sendable, Equatable {
    static let key = "watch"

    var experiments = ""
    var pack = ""
    var registries: [String: String] = [:]
    /// Milliseconds since the epoch of the last sweep of every run's stamp; 0 for never.
    var sweptAt: Int64 = 0
    /// Registered runs whose folder is gone (deleted by hand), by id: searches name them in a warning
    /// until they come back or `doctor --fix` removes them from the registry.
    var missing: [String: RunLocation] = [:]

    init() {}

    init(json: String?) {
        guard let json, let watch = try? JSONCoding.decode(IndexWatch.self, from: Array(json.utf8), path: "index metadata") else {
            return  // None yet, or unreadable: everything is checked again.
        }
        self = watch
    }

    func json() throws(CairnError) -> String {
        String(decoding: try JSONCoding.encode(self), as: UTF8.self)
    }
}
