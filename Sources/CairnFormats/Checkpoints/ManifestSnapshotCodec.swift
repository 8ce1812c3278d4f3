import CairnCore
import Dispatch

/// The binary form of a ``ManifestSnapshot`` (`checkpoints.state`): compact, little-endian, checked.
///
/// Layout (every integer little-endian):
///
/// | bytes | content |
/// |---|---|
/// | 8 | magic `CAIRNSNP` |
/// | 4 | version (``version``) |
/// | 4 | reserved, 0 |
/// | 8 | payload length |
/// | 8 | payload checksum (a 64-bit multiply–xorshift hash) |
/// | … | payload: covered bytes, fingerprint, next seq, tables (strings, policies, sets of metric names), chunk index, pointers, entries |
///
/// Strings that repeat (decisions, reasons, pointer fields), policies and sets of metric names are written
/// once in a table and referred to by index; paths and sha256 are written in place, metric values as
/// their bits in the order of their set's names. The chunk index gives the offset (from the pointers'
/// start) of every ``chunkSize``th entry, so that large snapshots are decoded on several cores. The file is a cache: a reader that
/// finds anything wrong with it (another version, a wrong length or checksum, an index out of range,
/// entries out of order) gets an error and decodes the manifest instead.
public enum ManifestSnapshotCodec {
    /// The snapshot format this code writes and reads.
    public static let version: UInt32 = 4

    /// Entries per chunk of the index: snapshots of more than one chunk are decoded in parallel.
    static let chunkSize = 16_384

    static let magic: [UInt8] = Array("CAIRNSNP".utf8)
    static let headerLength = 32

    /// The snapshot's bytes.
    /// - Parameter snapshot: the snapshot.
    /// - Returns: the file's content.
    public static func encode(_ snapshot: ManifestSnapshot) -> [UInt8] {
        let state = snapshot.state
        var body = SnapshotWriter(capacity: state.entries.count * 200 + 1024)
        body.count(state.pointers.count)
        for name in state.pointers.keys.sorted() {
            let pointer = state.pointers[name]!
            body.interned(pointer.name)
            body.int(pointer.seq)
            body.interned(pointer.path)
            body.interned(pointer.mechanism)
            body.i64(pointer.time.millisecondsSinceEpoch)
        }
        body.count(state.entries.count)
        var chunkOffsets: [Int] = []
        for (index, entry) in state.entries.enumerated() {
            if index % chunkSize == 0 { chunkOffsets.append(body.bytes.count) }
            SnapshotEntryCoding.write(entry, to: &body)
        }

        var payload = SnapshotWriter(capacity: body.bytes.count + 64 * 1024)
        payload.u64(UInt64(snapshot.coveredBytes))
        payload.count(snapshot.fingerprint.count)
        payload.append(snapshot.fingerprint)
        payload.int(state.nextSeq)
        payload.count(body.strings.count)
        for text in body.strings { payload.inline(text) }
        payload.count(body.policies.count)
        for policy in body.policies { payload.configValue(.mapping(policy)) }
        payload.count(body.metricKeySets.count)
        for keys in body.metricKeySets {
            payload.count(keys.count)
            for key in keys { payload.inline(key) }
        }
        payload.count(chunkOffsets.count)
        for offset in chunkOffsets { payload.u64(UInt64(offset)) }
        payload.append(body.bytes)

        var out = SnapshotWriter(capacity: headerLength + payload.bytes.count)
        out.append(magic)
        out.u32(version)
        out.u32(0)
        out.u64(UInt64(payload.bytes.count))
        out.u64(payload.bytes.withUnsafeBytes { SnapshotChecksum.hash($0) })
        out.append(payload.bytes)
        return out.bytes
    }

    /// Reads a snapshot.
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - path: the file's path, used in errors.
    /// - Returns: the snapshot.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/unsupportedFormat`` for another version, of kind
    ///   ``CairnError/Kind/corrupt`` for anything else that is wrong (the caller then ignores the file).
    public static func decode(_ bytes: [UInt8], path: String) throws(CairnError) -> ManifestSnapshot {
        let result = bytes.withUnsafeBytes { buffer -> Result<ManifestSnapshot, SnapshotReadError> in
            do throws(SnapshotReadError) { return .success(try decode(buffer, owner: bytes)) } catch { return .failure(error) }
        }
        switch result {
        case .success(let snapshot): return snapshot
        case .failure(let error) where error.problem.hasPrefix("version "):
            throw CairnError(.unsupportedFormat, "the checkpoint manifest snapshot '\(path)' has format \(error.problem)",
                             hint: "it is only a cache: delete it", cause: nil)
        case .failure(let error):
            throw CairnError(.corrupt, "the checkpoint manifest snapshot '\(path)' cannot be read",
                             hint: "it is only a cache: delete it", cause: error.problem)
        }
    }

    /// Decodes `bytes`, the content of `owner`, whose storage the entries' packed texts keep.
    private static func decode(_ bytes: UnsafeRawBufferPointer, owner: [UInt8]) throws(SnapshotReadError) -> ManifestSnapshot {
        var header = SnapshotReader(bytes)
        guard bytes.count >= headerLength, magic.elementsEqual(try header.raw(magic.count)) else {
            throw SnapshotReadError(problem: "it does not start with the snapshot header")
        }
        let fileVersion = try header.u32()
        guard fileVersion == version else {
            throw SnapshotReadError(problem: "version \(fileVersion), not the \(version) this cairn reads")
        }
        guard try header.u32() == 0 else { throw SnapshotReadError(problem: "its reserved header field is not 0") }
        let length = try header.u64()
        let checksum = try header.u64()
        guard length == UInt64(bytes.count - headerLength) else {
            throw SnapshotReadError(problem: "its length is \(bytes.count) bytes, not the \(length) + \(headerLength) recorded")
        }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[headerLength...])
        guard SnapshotChecksum.hash(payload) == checksum else {
            throw SnapshotReadError(problem: "its checksum does not match")
        }

        var reader = SnapshotReader(payload)
        let covered = try reader.u64()
        guard covered <= UInt64(Int.max) else { throw SnapshotReadError(problem: "covered bytes out of range") }
        let fingerprint = Array(try reader.raw(try reader.count()))
        let nextSeq = try reader.int()
        let stringCount = try reader.count(minimumSize: 4)
        var strings: [String] = []
        strings.reserveCapacity(stringCount)
        for _ in 0..<stringCount { strings.append(try reader.inline()) }
        let policyCount = try reader.count()
        var policies: [ConfigMapping] = []
        for _ in 0..<policyCount {
            guard case .mapping(let mapping) = try reader.configValue() else {
                throw SnapshotReadError(problem: "a policy that is not a mapping")
            }
            policies.append(mapping)
        }

        let keySetCount = try reader.count(minimumSize: 4)
        var metricKeySets: [[String]] = []
        metricKeySets.reserveCapacity(keySetCount)
        for _ in 0..<keySetCount {
            let n = try reader.count(minimumSize: 4)
            var keys: [String] = []
            keys.reserveCapacity(n)
            for _ in 0..<n { keys.append(try reader.inline()) }
            guard Set(keys).count == keys.count else { throw SnapshotReadError(problem: "a metric name twice in one set") }
            metricKeySets.append(keys)
        }

        let chunkCount = try reader.count(minimumSize: 8)
        var chunkOffsets: [Int] = []
        chunkOffsets.reserveCapacity(chunkCount)
        for _ in 0..<chunkCount {
            let offset = try reader.u64()
            guard offset < UInt64(payload.count) else { throw SnapshotReadError(problem: "a chunk offset out of range") }
            chunkOffsets.append(Int(offset))
        }
        let bodyStart = reader.position

        let pointerCount = try reader.count(minimumSize: 28)
        var pointers: [String: ManifestEvent.Pointer] = [:]
        for _ in 0..<pointerCount {
            let name = strings[try reader.index(below: strings.count)]
            let seq = try reader.int()
            let path = strings[try reader.index(below: strings.count)]
            let mechanism = strings[try reader.index(below: strings.count)]
            let time = Timestamp(millisecondsSinceEpoch: try reader.i64())
            pointers[name] = ManifestEvent.Pointer(name: name, seq: seq, path: path, mechanism: mechanism, time: time)
        }

        let entryCount = try reader.count(minimumSize: SnapshotEntryCoding.minimumSize)
        let makeContext = {
            SnapshotEntryCoding.Context(
                strings: strings, policies: policies, metricKeyCounts: metricKeySets.map(\.count),
                texts: SnapshotTexts(bytes: owner, payloadOffset: headerLength, metricKeySets: metricKeySets))
        }
        guard chunkCount == (entryCount + chunkSize - 1) / chunkSize,
              chunkOffsets.first.map({ bodyStart + $0 == reader.position }) ?? true else {
            throw SnapshotReadError(problem: "its chunk index does not match its entries")
        }
        let entries = try decodeEntries(payload, count: entryCount, chunkStarts: chunkOffsets.map { bodyStart + $0 },
                                        makeContext: makeContext, end: &reader)
        guard reader.atEnd else { throw SnapshotReadError(problem: "bytes follow the last entry") }
        guard let state = ManifestState(entries: entries, pointers: pointers, nextSeq: nextSeq) else {
            throw SnapshotReadError(problem: "its entries are out of order")
        }
        return ManifestSnapshot(state: state, coveredBytes: Int(covered), fingerprint: fingerprint)
    }

    /// Decodes the entries, chunk by chunk, on up to two threads, each chunk with a context of its own
    /// (`makeContext`: its packed texts are retained by its entries alone); each chunk must end exactly
    /// where the next begins. Built in place (no entry is copied), with room for the saves folded in after the
    /// snapshot so that the first of them does not copy every entry. `end` is left after the last entry.
    private static func decodeEntries(_ payload: UnsafeRawBufferPointer, count: Int, chunkStarts: [Int],
                                      makeContext: () -> SnapshotEntryCoding.Context,
                                      end: inout SnapshotReader) throws(SnapshotReadError) -> [CheckpointEntry] {
        let chunks = chunkStarts.count
        let contexts = (0..<chunks).map { _ in makeContext() }
        let failures = UnsafeMutableBufferPointer<SnapshotReadError?>.allocate(capacity: max(chunks, 1))
        let ends = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(chunks, 1))
        failures.initialize(repeating: nil)
        ends.initialize(repeating: -1)
        defer {
            failures.deallocate()
            ends.deallocate()
        }
        var decoded = 0
        let entries = [CheckpointEntry](unsafeUninitializedCapacity: count + 4096) { buffer, initialized in
            let base = buffer.baseAddress!
            // Each worker decodes whole chunks into their slots; a chunk that fails leaves its slots
            // partly filled, which is recorded so that exactly the filled ones are kept and released.
            let filled = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(chunks, 1))
            filled.initialize(repeating: 0)
            defer { filled.deallocate() }
            nonisolated(unsafe) let work = { (chunk: Int) in
                var reader = SnapshotReader(payload, position: chunkStarts[chunk])
                let context = contexts[chunk]
                let first = chunk * chunkSize, last = min(count, first + chunkSize)
                for index in first..<last {
                    do throws(SnapshotReadError) {
                        (base + index).initialize(to: try SnapshotEntryCoding.read(from: &reader, context: context))
                    } catch {
                        failures[chunk] = error
                        return
                    }
                    filled[chunk] += 1
                }
                ends[chunk] = reader.position
            }
            if chunks > 1 {
                let workers = 2
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    var chunk = worker
                    while chunk < chunks {
                        work(chunk)
                        chunk += workers
                    }
                }
            } else if chunks == 1 {
                work(0)
            }
            // Keep the longest prefix of complete chunks; release what a failed chunk left after it.
            var complete = 0
            while complete < chunks, failures[complete] == nil,
                  complete + 1 == chunks ? true : ends[complete] == chunkStarts[complete + 1] {
                complete += 1
            }
            for chunk in complete..<chunks {
                let first = chunk * chunkSize
                (base + first).deinitialize(count: filled[chunk])
            }
            initialized = complete == chunks ? count : complete * chunkSize
            decoded = initialized
        }
        if decoded < count || (chunks > 0 && ends[chunks - 1] < 0) {
            if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
            throw SnapshotReadError(problem: "its chunks do not follow each other")
        }
        if chunks > 0 { end = SnapshotReader(payload, position: ends[chunks - 1]) }
        return entries
    }
}
