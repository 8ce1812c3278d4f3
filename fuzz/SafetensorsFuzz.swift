// libFuzzer entry point for the safetensors header reader (fuzz/run.sh safetensors): any bytes give a
// header whose tensors end exactly at the input's end, or a CairnError; never a crash, a hang or an
// allocation beyond the input.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if let header = try? SafetensorsHeader(file: bytes) {
        precondition(header.dataStart + (header.tensors.last?.end ?? 0) == size)
    }
    return 0
}
