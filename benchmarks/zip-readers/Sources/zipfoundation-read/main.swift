// zipfoundation-read FILE: opens a torch checkpoint with ZIPFoundation, then reads every storage
// (`…/data/N`) through its extract consumer, folding the bytes into a 64-bit XOR. Prints the seconds
// to open the archive and list its entries, the seconds for the whole read, and the fold (equal to
// cairn-bench-tensors torch-mapped's).
import Foundation
import ZIPFoundation

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

let path = CommandLine.arguments[1]
let start = now()
let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
let storages = archive.filter { $0.path.contains("/data/") }
let listed = now()
var fold: UInt64 = 0
var carry: [UInt8] = []
for entry in storages {
    carry.removeAll(keepingCapacity: true)
    _ = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: true) { data in
        carry += data
        let whole = carry.count / 8 * 8
        carry.withUnsafeBytes { raw in
            let words = UnsafeRawBufferPointer(rebasing: raw[0..<whole]).bindMemory(to: UInt64.self)
            for word in words { fold ^= word }
        }
        carry.removeFirst(whole)
    }
}
print(String(listed - start), String(now() - start), String(fold, radix: 16))
