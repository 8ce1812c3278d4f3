// libFuzzer entry point for the npy reader (fuzz/run.sh npy): any bytes give an array whose data lies
// inside the input, or a CairnError; never a crash, a hang or an allocation beyond the input.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNpy(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if let array = try? NpyArray(reading: bytes) {
        precondition(array.header.dataOffset + array.data.count <= size)
        _ = array.cOrderLittleEndian()
        _ = array.values(limit: 16)
    }
    return 0
}
