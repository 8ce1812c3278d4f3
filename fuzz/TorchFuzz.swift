// libFuzzer entry point for the PyTorch checkpoint reader (fuzz/run.sh torch): any bytes give a
// checkpoint whose every tensor's data can be read from inside the input, or a CairnError; never a
// crash, a hang, endless recursion or an allocation beyond what the input allows.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTorch(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if let checkpoint = try? TorchCheckpoint(reading: bytes) {
        for (_, tensor) in checkpoint.root.tensors {
            _ = try? checkpoint.withData(of: tensor, in: bytes) { raw in
                precondition(raw.count == tensor.byteCount)
                return raw.reduce(0 as UInt8, &+)
            }
        }
        _ = checkpoint.modelState
    }
    return 0
}
