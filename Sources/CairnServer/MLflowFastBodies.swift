import CairnCore
import CairnFormats

/// The bodies of the hottest requests (`log-batch`, `log-metric`) read straight from their bytes
/// with ``CairnCore/RecordJSONScanner``, several times faster than `JSONDecoder`; anything the
/// scanner does not take (an escape in a key, a value of another shape) goes to `JSONDecoder`, which
/// reads it or explains what is wrong.
enum MLflowFastBodies {
    static func logBatch(_ bytes: UnsafeBufferPointer<UInt8>) -> MLflowRunRequests.LogBatch? {
        var scanner = RecordJSONScanner(bytes)
        var body = MLflowRunRequests.LogBatch()
        let read = scanner.object(keys: ["run_id", "metrics", "params", "tags"]) { scanner, key in
            switch key {
            case 0: body.runID = scanner.string(); return body.runID != nil
            case 1:
                var metrics: [MLflowRunRequests.Metric] = []
                guard scanner.array({ scanner in
                    guard let metric = Self.metric(&scanner) else { return false }
                    metrics.append(metric)
                    return true
                }) else { return false }
                body.metrics = metrics
                return true
            default:
                var pairs: [MLflowTag] = []
                guard scanner.array({ scanner in
                    guard let pair = Self.pair(&scanner) else { return false }
                    pairs.append(pair)
                    return true
                }) else { return false }
                if key == 2 { body.params = pairs } else { body.tags = pairs }
                return true
            }
        }
        return read && scanner.atEnd() ? body : nil
    }

    static func logMetric(_ bytes: UnsafeBufferPointer<UInt8>) -> MLflowRunRequests.LogMetric? {
        var scanner = RecordJSONScanner(bytes)
        var body = MLflowRunRequests.LogMetric()
        let read = scanner.object(keys: ["run_id", "run_uuid", "key", "value", "timestamp", "step"]) { scanner, key in
            switch key {
            case 0: body.runID = scanner.string(); return body.runID != nil
            case 1: body.runUUID = scanner.string(); return body.runUUID != nil
            case 2: body.key = scanner.string(); return body.key != nil
            case 3: body.value = Self.double(&scanner); return body.value != nil
            case 4: body.timestamp = Self.integer(&scanner); return body.timestamp != nil
            default: body.step = Self.integer(&scanner); return body.step != nil
            }
        }
        return read && scanner.atEnd() ? body : nil
    }

    private static func metric(_ scanner: inout RecordJSONScanner) -> MLflowRunRequests.Metric? {
        var metric = MLflowRunRequests.Metric()
        let read = scanner.object(keys: ["key", "value", "timestamp", "step"]) { scanner, key in
            switch key {
            case 0: metric.key = scanner.string(); return metric.key != nil
            case 1: metric.value = Self.double(&scanner); return metric.value != nil
            case 2: metric.timestamp = Self.integer(&scanner); return metric.timestamp != nil
            default: metric.step = Self.integer(&scanner); return metric.step != nil
            }
        }
        return read ? metric : nil
    }

    private static func pair(_ scanner: inout RecordJSONScanner) -> MLflowTag? {
        var key: String?, value: String?
        let read = scanner.object(keys: ["key", "value"]) { scanner, index in
            if index == 0 { key = scanner.string(); return key != nil }
            value = scanner.string()
            return value != nil
        }
        guard read, let key, let value else { return nil }
        return MLflowTag(key: key, value: value)
    }

    private static func double(_ scanner: inout RecordJSONScanner) -> MLflowDouble? {
        if let bytes = scanner.numberBytes() {
            // JSON's grammar was checked: the parser reads every such number (1e999 as infinity).
            return DecimalText.parseDouble(UnsafeRawBufferPointer(bytes)).map(MLflowDouble.init)
        }
        guard let text = scanner.string() else { return nil }
        switch text {
        case "NaN": return MLflowDouble(.nan)
        case "Infinity": return MLflowDouble(.infinity)
        case "-Infinity": return MLflowDouble(-.infinity)
        default: return nil
        }
    }

    private static func integer(_ scanner: inout RecordJSONScanner) -> MLflowInt64? {
        if let number = scanner.integer() { return MLflowInt64(number) }
        if let number = scanner.quotedInteger() { return MLflowInt64(number) }
        guard let text = scanner.string(), let number = Int64(text) else { return nil }
        return MLflowInt64(number)
    }
}
