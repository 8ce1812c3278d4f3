extension CheckpointPolicy {
    /// The words ``init(keeping:)`` reads, for help texts and errors.
    public static let keepWords = ["best", "last", "topN", "lastN", "all"]

    /// A call's retention rule from a comma-separated list of words (`cairn gc --keep best,last`), in the
    /// policy's own terms: `best` is `top_k: 1`, `topN` is `top_k: N`, `last` is `keep_last: 1`, `lastN`
    /// is `keep_last: N`, `all` is `save_strategy: all`. Only the retention rule is set (no strategy
    /// unless `all`), so layered over a run's policy (``overriding(with:)``) it replaces that policy's
    /// `save_strategy`, `top_k` and `keep_last` and leaves its monitor, mode and kept-forever epochs.
    /// - Parameter text: the words, such as `best,last`, `top3,last2` or `all`.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/invalidValue`` for an empty list, an unknown word,
    ///   a count that is not a positive integer, or `all` with another word.
    public init(keeping text: String) throws(CairnError) {
        self.init()
        let words = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).lowercased() }
        let hint = "write --keep as comma-separated words among best, last, topN, lastN, all (such as best,last or top3,last2)"
        guard !text.isEmpty else { throw CairnError(.invalidValue, "--keep is empty", hint: hint) }
        for word in words {
            switch word {
            case "all": saveStrategy = .all
            case "best": topK = max(topK ?? 0, 1)
            case "last": keepLast = max(keepLast ?? 0, 1)
            default:
                let (prefix, count): (String, Int?) = word.hasPrefix("top") ? ("top", Int(word.dropFirst(3)))
                    : word.hasPrefix("last") ? ("last", Int(word.dropFirst(4))) : ("", nil)
                guard !prefix.isEmpty else {
                    throw CairnError(.invalidValue, "--keep: unknown word '\(word)' in '\(text)'", hint: hint)
                }
                guard let count, count > 0, count <= Int(Int32.max) else {
                    throw CairnError(.invalidValue, "--keep: '\(word)' needs a positive count after '\(prefix)'", hint: hint)
                }
                if prefix == "top" { topK = max(topK ?? 0, count) } else { keepLast = max(keepLast ?? 0, count) }
            }
        }
        if saveStrategy == .all, topK != nil || keepLast != nil {
            throw CairnError(.invalidValue, "--keep: 'all' keeps every checkpoint, so '\(text)' says two things",
                             hint: "write --keep all alone, or drop 'all'")
        }
    }
}
