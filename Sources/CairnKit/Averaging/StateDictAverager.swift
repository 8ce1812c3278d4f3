import Dispatch
import Glibc
import Synchronization
import CairnCore
import CairnFormats

/// Averages the state dicts of several checkpoints into one file, streamed to disk.
///
/// Every input must hold the same tensor names, each with the same dtype and shape in every file;
/// floating-point tensors (float32, float64, float16, bfloat16) are averaged element by element
/// (``ElementwiseMean`` says how), every other tensor (an int64 `num_batches_tracked`, a bool mask) is
/// copied from the **last** input, the newest checkpoint, as it is. The output's dtype is the input's.
/// The inputs are read through their mappings in chunks, and the output is written chunk by chunk
/// (hashed on a second thread meanwhile), so memory stays small whatever the model's size.
public enum StateDictAverager {
    /// What an average wrote.
    public struct Result: Sendable, Equatable {
        /// The output file's size and SHA-256.
        public var bytes: Int64
        public var sha256: String
        /// The tensors written, averaged ones and copied ones.
        public var tensorCount: Int
        /// The names of the tensors copied from the last input (not floating point).
        public var copied: [String]
        /// The bytes of tensor data read from the inputs.
        public var inputBytes: Int64
    }

    /// Output bytes per chunk written (and per progress report).
    static let chunkBytes = 4 << 20

    /// Checks that the inputs can be averaged: the same names, and each tensor's dtype and shape the same
    /// in every file.
    /// - Returns: the tensors of the last input, in its order, and whether each is averaged.
    /// - Throws: `CairnError` of kind `.conflict` naming the tensor and the two files that differ;
    ///   `.unsupportedFormat` for a floating-point type Cairn does not average (float8, packed types).
    static func plan(_ inputs: [StateDictFile]) throws(CairnError) -> [(tensor: StateDictTensor, averaged: Bool)] {
        guard let last = inputs.last else {
            throw CairnError(.invalidValue, "no checkpoint to average", hint: "choose at least one")
        }
        var byName: [String: Int] = [:]
        for (index, tensor) in last.tensors.enumerated() { byName[tensor.name] = index }
        for input in inputs.dropLast() {
            var seen = 0
            for tensor in input.tensors {
                guard let index = byName[tensor.name] else {
                    throw CairnError(.conflict, "the tensor '\(tensor.name)' is in '\(input.path)' but not in '\(last.path)'",
                                     hint: "average checkpoints of the same model")
                }
                seen += 1
                let other = last.tensors[index]
                guard tensor.dtype == other.dtype else {
                    throw CairnError(.conflict, "the tensor '\(tensor.name)' is \(tensor.dtype.rawValue) in '\(input.path)' but \(other.dtype.rawValue) in '\(last.path)'",
                                     hint: "average checkpoints saved with the same dtypes")
                }
                guard tensor.shape == other.shape else {
                    throw CairnError(.conflict, "the tensor '\(tensor.name)' has shape \(tensor.shape) in '\(input.path)' but \(other.shape) in '\(last.path)'",
                                     hint: "average checkpoints of the same model")
                }
            }
            if seen != last.tensors.count {
                let names = Set(input.tensors.map(\.name))
                let missing = last.tensors.first { !names.contains($0.name) }!.name
                throw CairnError(.conflict, "the tensor '\(missing)' is in '\(last.path)' but not in '\(input.path)'",
                                 hint: "average checkpoints of the same model")
            }
        }
        return try last.tensors.map { (tensor) throws(CairnError) in
            if tensor.dtype.isFloatingPoint, !ElementwiseMean.supports(tensor.dtype) {
                throw CairnError(.unsupportedFormat, "the tensor '\(tensor.name)' is \(tensor.dtype.rawValue), which Cairn does not average",
                                 hint: "average float32, float64, float16 or bfloat16 tensors")
            }
            return (tensor, tensor.dtype.isFloatingPoint)
        }
    }

    /// Averages `inputs` into a new file at `path`, its format chosen by its extension
    /// (``StateDictOutput``); nothing appears at `path` unless the whole file was written.
    /// - Parameters:
    ///   - inputs: the opened checkpoints, oldest first (non-float tensors come from the last).
    ///   - path: the output, absolute; its folder must exist.
    ///   - metadata: text stored with the tensors (safetensors' `__metadata__`).
    ///   - mode: the output's permission bits.
    ///   - durable: whether to wait for the output to reach the disk before it appears.
    ///   - progress: called with the input bytes read so far and the total, from this thread.
    /// - Returns: what was written.
    /// - Throws: `CairnError` when the inputs do not match (``plan(_:)``), or the output cannot be written.
    public static func average(_ inputs: [StateDictFile], to path: String, metadata: [String: String] = [:], mode: mode_t = 0o644,
                               durable: Bool = true, progress: (Int64, Int64) -> Void = { _, _ in }) throws(CairnError) -> Result {
        let planned = try plan(inputs)
        let lookups = inputs.map { input in Dictionary(input.tensors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a }) }
        let sink = try StateDictOutput.create(at: path, tensors: planned.map { .init(name: $0.tensor.name, dtype: $0.tensor.dtype, shape: $0.tensor.shape) },
                                              metadata: metadata, mode: mode, durable: durable)
        let total = planned.reduce(Int64(0)) { sum, item in sum + Int64(item.tensor.bytes.count * (item.averaged ? inputs.count : 1)) }
        for input in inputs { adviseSequential(input) }
        let buffers = ChunkBuffers(count: 3, bytes: chunkBytes)
        let accumulator = UnsafeMutablePointer<Double>.allocate(capacity: ElementwiseMean.blockElements)
        defer { accumulator.deallocate() }
        var read: Int64 = 0
        do throws(CairnError) {
            for index in sink.order {
                let (tensor, averaged) = planned[index]
                if !averaged {
                    // Copied as it is from the last input; the mapping stays valid until the sink is done.
                    try sink.write(tensor.bytes, release: {})
                    read += Int64(tensor.bytes.count)
                    progress(read, total)
                    continue
                }
                let sources = lookups.map { $0[tensor.name]!.bytes }
                let itemSize = tensor.dtype.itemSize
                let perChunk = chunkBytes / itemSize
                let count = tensor.count
                var start = 0
                while start < count {
                    let n = min(perChunk, count - start)
                    let buffer = buffers.take()
                    ElementwiseMean.mean(tensor.dtype, of: sources, start: start, count: n, into: buffer.base, accumulator: accumulator)
                    try sink.write(UnsafeRawBufferPointer(start: buffer.base, count: n * itemSize), release: { buffers.give(buffer) })
                    start += n
                    read += Int64(n * itemSize * inputs.count)
                    progress(read, total)
                }
            }
            let written = try sink.finish()
            buffers.drain()
            return Result(bytes: written.bytes, sha256: written.sha256, tensorCount: planned.count,
                          copied: planned.filter { !$0.averaged }.map(\.tensor.name), inputBytes: read)
        } catch {
            sink.abort()
            buffers.drain()
            throw error
        }
    }

    /// Tells the kernel each input's tensors are read from start to end, soon (a larger readahead, and
    /// reading ahead started, when they are not cached).
    private static func adviseSequential(_ input: StateDictFile) {
        let spans = input.tensors.compactMap { tensor in tensor.bytes.baseAddress.map { (UInt(bitPattern: $0), UInt(tensor.bytes.count)) } }
        guard let first = spans.map(\.0).min(), let end = spans.map({ $0.0 + $0.1 }).max() else { return }
        let start = first & ~UInt(sysconf(Int32(_SC_PAGESIZE)) - 1)
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, Int(end - start), MADV_SEQUENTIAL)
        _ = madvise(pointer, Int(end - start), MADV_WILLNEED)
    }
}

/// A few output buffers handed back and forth between the averaging loop and the thread that hashes
/// what was written: the loop waits for one to come back when all are out.
private final class ChunkBuffers: @unchecked Sendable {
    struct Buffer: @unchecked Sendable { let base: UnsafeMutableRawPointer }
    private let all: [Buffer]
    private let free: Mutex<[Buffer]>
    private let available: DispatchSemaphore

    init(count: Int, bytes: Int) {
        all = (0..<count).map { _ in Buffer(base: UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)) }
        free = Mutex(all)
        available = DispatchSemaphore(value: count)
    }

    func take() -> Buffer {
        available.wait()
        return free.withLock { $0.removeLast() }
    }

    func give(_ buffer: Buffer) {
        free.withLock { $0.append(buffer) }
        available.signal()
    }

    /// Waits until every buffer is back.
    func drain() {
        for _ in all { available.wait() }
        for _ in all { available.signal() }
    }

    deinit { for buffer in all { buffer.base.deallocate() } }
}
