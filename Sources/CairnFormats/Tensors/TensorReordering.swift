/// Element order and byte order conversions of tensor data.
enum TensorReordering {
    /// Reverses the bytes of each element.
    static func swapBytes(_ bytes: inout [UInt8], itemSize: Int) {
        guard itemSize > 1 else { return }
        bytes.withUnsafeMutableBufferPointer { buffer in
            var start = 0
            while start + itemSize <= buffer.count {
                var low = start, high = start + itemSize - 1
                while low < high {
                    buffer.swapAt(low, high)
                    low += 1
                    high -= 1
                }
                start += itemSize
            }
        }
    }

    /// Fortran-ordered elements in C order.
    static func cFromFortran(_ bytes: [UInt8], shape: [Int], itemSize: Int) -> [UInt8] {
        reorder(bytes, shape: shape, itemSize: itemSize, toFortran: false)
    }

    /// C-ordered elements in Fortran order.
    static func fortranFromC(_ bytes: [UInt8], shape: [Int], itemSize: Int) -> [UInt8] {
        reorder(bytes, shape: shape, itemSize: itemSize, toFortran: true)
    }

    /// Walks the elements in C order with an odometer over the indices; each element's Fortran offset is
    /// the sum of index × Fortran stride. Copies from one order to the other.
    private static func reorder(_ bytes: [UInt8], shape: [Int], itemSize: Int, toFortran: Bool) -> [UInt8] {
        guard shape.count > 1, !bytes.isEmpty else { return bytes }
        var strides = [Int](repeating: itemSize, count: shape.count)   // Fortran strides in bytes
        for axis in 1..<shape.count { strides[axis] = strides[axis - 1] * shape[axis - 1] }
        var out = [UInt8](repeating: 0, count: bytes.count)
        var index = [Int](repeating: 0, count: shape.count)
        var fortranOffset = 0
        out.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { source in
                var cOffset = 0
                while cOffset < bytes.count {
                    let (from, to) = toFortran ? (cOffset, fortranOffset) : (fortranOffset, cOffset)
                    (target.baseAddress! + to).copyMemory(from: source.baseAddress! + from, byteCount: itemSize)
                    cOffset += itemSize
                    // Advance the odometer: the last axis fastest.
                    var axis = shape.count - 1
                    while axis >= 0 {
                        index[axis] += 1
                        fortranOffset += strides[axis]
                        if index[axis] < shape[axis] { break }
                        fortranOffset -= strides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return out
    }

    /// The elements a strided view selects, copied into C order: element `i` of dimension `d` lies
    /// `stride[d]` elements further. The caller has checked that every element lies inside `source`.
    static func gather(_ source: UnsafeRawBufferPointer, offset: Int, shape: [Int], stride: [Int], itemSize: Int) -> [UInt8] {
        let count = shape.reduce(1, *)
        guard count > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: count * itemSize)
        var index = [Int](repeating: 0, count: shape.count)
        var from = offset
        out.withUnsafeMutableBytes { target in
            for element in 0..<count {
                (target.baseAddress! + element * itemSize).copyMemory(from: source.baseAddress! + from, byteCount: itemSize)
                var axis = shape.count - 1
                while axis >= 0 {
                    index[axis] += 1
                    from += stride[axis] * itemSize
                    if index[axis] < shape[axis] { break }
                    from -= stride[axis] * itemSize * shape[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
        return out
    }
}
