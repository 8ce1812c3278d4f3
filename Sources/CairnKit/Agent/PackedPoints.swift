import CairnCore

/// The points of `log_packed` requests on one connection: each point five little-endian float64s (the
/// number of its metric name, step, Unix time in seconds, value, the number of its split), names
/// numbered by the client in the order it first used them and sent once (`keys` from `key_base`,
/// `splits` from `split_base`; split 0 is `train`). A client that logs fast packs its points in one C
/// call each and sends them without encoding each number as text.
struct PackedPoints {
    static let pointBytes = 40
    private var keys: [String] = []
    private var splits: [String] = ["train"]

    /// The request's points, by split in the order first met.
    /// - Throws: `CairnError` of kind `.invalidValue` for names numbered out of order, a number with no
    ///   name, or a payload of the wrong length.
    mutating func decode(_ request: ConfigValue, _ payload: [UInt8]) throws(CairnError) -> [(split: String, points: [MetricPoint])] {
        try extend(&keys, request["keys"], base: request["key_base"], what: "metric name")
        try extend(&splits, request["splits"], base: request["split_base"], what: "split")
        let count = payload.count / Self.pointBytes
        guard payload.count == count * Self.pointBytes else {
            throw CairnError(.invalidValue, "a 'log_packed' payload of \(payload.count) bytes is not whole points of \(Self.pointBytes)")
        }
        var order: [String] = []
        var bySplit: [String: [MetricPoint]] = [:]
        var failure: CairnError?
        payload.withUnsafeBytes { raw in
            for index in 0..<count {
                func field(_ number: Int) -> Double {
                    Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * Self.pointBytes + number * 8, as: UInt64.self)))
                }
                let key = field(0), step = field(1), time = field(2), value = field(3), splitNumber = field(4)
                let keyIndex = Int(exactly: key) ?? -1, splitIndex = Int(exactly: splitNumber) ?? -1
                guard keys.indices.contains(keyIndex), splits.indices.contains(splitIndex), let wholeStep = Int64(exactly: step) else {
                    failure = CairnError(.invalidValue, "a packed point names metric \(key), split \(splitNumber), step \(step), which are not known numbers",
                                         hint: "send each name once with 'keys'/'splits' before its points")
                    return
                }
                let split = splits[splitIndex]
                if bySplit[split] == nil { order.append(split) }
                bySplit[split, default: []].append(MetricPoint(key: keys[keyIndex], value: value, step: wholeStep,
                                                               time: time.isFinite ? time : nil))
            }
        }
        if let failure { throw failure }
        return order.map { ($0, bySplit[$0]!) }
    }

    private func extend(_ table: inout [String], _ names: ConfigValue?, base: ConfigValue?, what: String) throws(CairnError) {
        guard let names = names?.list, !names.isEmpty else { return }
        guard base?.int == Int64(table.count) else {
            throw CairnError(.invalidValue, "the \(what)s of a 'log_packed' request start at \(base?.jsonText ?? "null"), not at \(table.count)",
                             hint: "number names in the order they are first sent")
        }
        for name in names {
            guard let text = name.string else { throw CairnError(.invalidValue, "a \(what) is not a string") }
            table.append(text)
        }
    }
}
