// libFuzzer entry point for the safetensors header reader (fuzz/run.sh safetensors): any bytes give a
// header whose tensors end exactly at the input's end, or a CairnError; never a crash, a hang or an
// allocation beyond the input.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let length = try? SafetensorsHeader.headerLength(bytes, fileSize: size) else { return 0 }
    if let header = try? SafetensorsHeader(json: UnsafeRawBufferPointer(rebasing: bytes[8..<8 + length]), headerLength: length, fileSize: size) {
        precondition(header.dataStart + (header.tensors.last?.end ?? 0) == size)
    }
    return 0
}
