// Reading a safetensors file the way Cairn does and the way a plain reader would, for
// benchmarks/tensors.py (which runs both beside Python's safetensors and prints ratios):
//   cairn-bench-tensors write FILE MIB      a file of MIB MiB of float32 tensors (64 of them, 1 to 64 MiB
//                                           each, as a model's layers), written by SafetensorsWriter
//   cairn-bench-tensors mapped FILE         SafetensorsFile (mmap, header checked), CRC-32C of every tensor
//   cairn-bench-tensors read FILE           read(2) of the whole file into memory, then the same CRC-32C of
//                                           each tensor's range (the floor: the bytes must be read and touched)
//   cairn-bench-tensors torch-write FILE MIB   the same tensors as a PyTorch checkpoint (TorchCheckpointWriter)
//   cairn-bench-tensors torch-mapped FILE      TorchCheckpointFile (mmap, archive and pickle read), every
//                                              tensor's bytes folded into a 64-bit XOR; prints the seconds to
//                                              open and list, the seconds in all, the fold (benchmarks/zip_readers.sh,
//                                              beside ZIPFoundation)
// Each read mode prints one line: seconds, then the XOR of the tensors' checksums (equal between modes).
import Glibc
import CairnCore
import CairnFormats
import CairnKit

func fail(_ text: String) -> Never {
    let line = Array((text + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else { fail("usage: cairn-bench-tensors write FILE MIB | mapped FILE | read FILE") }
let path = arguments[1]

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// 64-style layers of float32 (1 to 64 MiB each) filling `mebibytes`, with pseudo-random bits.
func layers(_ mebibytes: Int) -> [(name: String, data: [UInt8])] {
    var result: [(name: String, data: [UInt8])] = []
    var left = mebibytes << 20
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    while left > 0 {
        let size = min(left, (1 + result.count % 64) << 20)
        var data = [UInt8](repeating: 0, count: size)
        data.withUnsafeMutableBytes { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for i in 0..<words.count { state = state &* 6_364_136_223_846_793_005 &+ 1; words[i] = state }
        }
        let number = String(result.count)
        result.append(("layers." + String(repeating: "0", count: max(0, 3 - number.count)) + number + ".weight", data))
        left -= size
    }
    return result
}

/// Writes a whole file and syncs it.
func writeFile(_ path: String, _ bytes: [UInt8]) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0, "cannot write \(path)")
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, min($0.count, 1 << 26)) }
        precondition(written > 0)
        offset += written
    }
    fsync(fd)
    close(fd)
}

/// The 64-bit XOR of a buffer's whole words.
func fold(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var result: UInt64 = 0
    let words = bytes.count / 8
    for index in 0..<words { result ^= bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self) }
    return result
}

switch arguments[0] {
case "write":
    var writer = SafetensorsWriter()
    writer.metadata = ["format": "pt", "written_by": "cairn-bench-tensors"]
    let made = layers(Int(arguments.count > 2 ? arguments[2] : "1024") ?? 1024)
    for (name, data) in made { try writer.add(name, dtype: .float32, shape: [data.count / 4], littleEndian: data) }
    let bytes = writer.bytes()
    writeFile(path, bytes)
    print("\(made.count) tensors, \(bytes.count) bytes")
case "torch-write":
    let made = layers(Int(arguments.count > 2 ? arguments[2] : "1024") ?? 1024)
    let bytes = try TorchCheckpointWriter.bytes(archiveName: "model", tensors: made.map {
        (TorchCheckpointWriter.Tensor(name: $0.name, dtype: .float32, shape: [$0.data.count / 4]), $0.data)
    })
    writeFile(path, bytes)
    print("\(made.count) tensors, \(bytes.count) bytes")
case "torch-mapped":
    let start = now()
    let file = try TorchCheckpointFile(path)
    let tensors = file.checkpoint.root.tensors
    let listed = now()
    var combined: UInt64 = 0
    for (_, tensor) in tensors { combined ^= try file.withBytes(of: tensor) { fold($0) } }
    print(String(listed - start), String(now() - start), String(combined, radix: 16))
case "mapped":
    let start = now()
    let file = try SafetensorsFile(path)
    var combined: UInt32 = 0
    for tensor in file.header.tensors { combined ^= file.withBytes(of: tensor) { CRC32C.checksum($0) } }
    print(now() - start, combined)
case "read":
    let start = now()
    let fd = open(path, O_RDONLY)
    precondition(fd >= 0, "cannot read \(path)")
    var info = stat()
    fstat(fd, &info)
    let size = Int(info.st_size)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
    var offset = 0
    while offset < size {
        let count = read(fd, buffer.baseAddress! + offset, min(size - offset, 1 << 24))
        precondition(count > 0)
        offset += count
    }
    close(fd)
    // The same ranges: the header (its length, its JSON) parsed as Cairn does, then each tensor's bytes.
    let header = try SafetensorsHeader(file: UnsafeRawBufferPointer(buffer))
    var combined: UInt32 = 0
    for tensor in header.tensors {
        let begin = header.dataStart + tensor.begin
        combined ^= CRC32C.checksum(UnsafeRawBufferPointer(rebasing: buffer[begin..<begin + tensor.byteCount]))
    }
    print(now() - start, combined)
    buffer.deallocate()
default:
    fail("cairn-bench-tensors: unknown mode '\(arguments[0])'")
}
