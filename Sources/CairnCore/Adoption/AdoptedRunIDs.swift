/// Run ids for runs found in a tree whose convention names them by path.
///
/// A run whose `run` template has a `run_id` or `run_name` field keeps that value; a `run_path` field
/// (a path below the experiment's folder, TensorBoard logdirs) gives its components joined with `-`
/// (`Dec05_12-47-38_vm-eval-acc`). Otherwise the run
/// folder's last component is the id when no other run shares it (`RUN_20231231_235959_999999`,
/// `mlm_small`); else the folder's components after the part every run shares, joined with `-`
/// (`vae-baseline`, `resnet18-baseline-train-P1-val-P2`). Ids already taken get `-2`, `-3`… Every id
/// is a valid name component.
public enum AdoptedRunIDs {
    /// One id per run, in the order given.
    /// - Parameters:
    ///   - folders: the run folders, relative to the tree's root.
    ///   - fields: each run's fields, in the same order.
    ///   - taken: ids already in use in the store.
    public static func assign(folders: [String], fields: [LayoutFields], taken: Set<String> = []) -> [RunID] {
        let components = folders.map { $0.split(separator: "/").map(String.init) }
        var lastCounts: [String: Int] = [:]
        for parts in components { lastCounts[parts.last ?? "", default: 0] += 1 }
        let shared = commonPrefixCount(components)
        var used = taken
        var ids: [RunID] = []
        for (index, parts) in components.enumerated() {
            var base: String
            if let named = fields[index]["run_id"]?.stringValue ?? fields[index]["run_name"]?.stringValue {
                base = named
            } else if let path = fields[index]["run_path"]?.stringValue {
                base = path.split(separator: "/").joined(separator: "-")
            } else if let last = parts.last, lastCounts[last] == 1 {
                base = last
            } else {
                let tail = parts.dropFirst(min(shared, max(0, parts.count - 1)))
                base = tail.joined(separator: "-")
            }
            if base.utf8.count > 200 { base = String(decoding: Array(base.utf8.suffix(200)), as: UTF8.self) }
            // A base that cannot be an id (no letter or digit left, say) is replaced, not reported.
            if (try? RunID(base)) == nil { base = "run" }
            var candidate = base
            var n = 2
            while used.contains(candidate) {
                candidate = "\(base)-\(n)"
                n += 1
            }
            used.insert(candidate)
            // Valid by construction: a failure is a bug, stopped by the precondition.
            guard let id = try? RunID(candidate) else { preconditionFailure("adopted run id '\(candidate)' is invalid") }
            ids.append(id)
        }
        return ids
    }

    /// How many leading components all the paths share (at least one component is always left).
    static func commonPrefixCount(_ paths: [[String]]) -> Int {
        guard let first = paths.first else { return 0 }
        var count = 0
        while count < first.count, paths.allSatisfy({ $0.count > count && $0[count] == first[count] }) { count += 1 }
        return count
    }
}
