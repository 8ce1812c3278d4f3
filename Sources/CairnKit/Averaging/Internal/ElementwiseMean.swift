import CairnFormats

/// The element-wise mean of equally shaped runs of elements, one dtype, little-endian bytes in and out.
///
/// Accumulation: float32 and float64 inputs are summed in Double, then multiplied by 1/N and rounded
/// once to the input's type; float16 and bfloat16 are summed in Float (exact for their 11- and 8-bit
/// significands over any practical number of checkpoints). Summing float32 in Double costs nothing
/// measurable (the loop waits on memory, not on arithmetic) and makes the result the correctly rounded
/// mean but for rare ties, whatever the order of the inputs. Each pass is a simple loop over at most
/// ``blockElements`` elements, so the compiler vectorises it and the accumulator stays in the cache.
/// NaN and infinities propagate as IEEE arithmetic has them.
enum ElementwiseMean {
    /// Elements per pass: the Double accumulator (512 KiB) stays in the L2 cache.
    static let blockElements = 65_536

    /// The dtypes whose mean this computes.
    static func supports(_ dtype: TensorDType) -> Bool {
        dtype == .float32 || dtype == .float64 || dtype == .float16 || dtype == .bfloat16
    }

    /// Writes the mean of `count` elements starting at element `start` of each input into `output`.
    /// - Parameters:
    ///   - inputs: each input's bytes (the whole tensor), little-endian.
    ///   - start: the first element.
    ///   - count: how many elements (`output` holds at least `count` elements' bytes).
    ///   - accumulator: scratch space for ``blockElements`` Doubles.
    static func mean(_ dtype: TensorDType, of inputs: [UnsafeRawBufferPointer], start: Int, count: Int,
                     into output: UnsafeMutableRawPointer, accumulator: UnsafeMutablePointer<Double>) {
        var done = 0
        while done < count {
            let n = min(blockElements, count - done)
            let first = start + done
            let out = output + done * dtype.itemSize
            switch dtype {
            case .float32: meanFloat32(inputs, first, n, out, accumulator)
            case .float64: meanFloat64(inputs, first, n, out, accumulator)
            case .float16: meanFloat16(inputs, first, n, out, UnsafeMutableRawPointer(accumulator).assumingMemoryBound(to: Float.self))
            case .bfloat16: meanBFloat16(inputs, first, n, out, UnsafeMutableRawPointer(accumulator).assumingMemoryBound(to: Float.self))
            default: preconditionFailure("no mean for \(dtype)")
            }
            done += n
        }
    }

    private static func meanFloat32(_ inputs: [UnsafeRawBufferPointer], _ first: Int, _ n: Int, _ out: UnsafeMutableRawPointer,
                                    _ acc: UnsafeMutablePointer<Double>) {
        let source = inputs[0].baseAddress! + first * 4
        for i in 0..<n { acc[i] = Double(source.loadUnaligned(fromByteOffset: i &* 4, as: Float.self)) }
        for input in inputs.dropFirst() {
            let source = input.baseAddress! + first * 4
            for i in 0..<n { acc[i] += Double(source.loadUnaligned(fromByteOffset: i &* 4, as: Float.self)) }
        }
        let scale = 1 / Double(inputs.count)
        for i in 0..<n { out.storeBytes(of: Float(acc[i] * scale), toByteOffset: i &* 4, as: Float.self) }
    }

    private static func meanFloat64(_ inputs: [UnsafeRawBufferPointer], _ first: Int, _ n: Int, _ out: UnsafeMutableRawPointer,
                                    _ acc: UnsafeMutablePointer<Double>) {
        let source = inputs[0].baseAddress! + first * 8
        for i in 0..<n { acc[i] = source.loadUnaligned(fromByteOffset: i &* 8, as: Double.self) }
        for input in inputs.dropFirst() {
            let source = input.baseAddress! + first * 8
            for i in 0..<n { acc[i] += source.loadUnaligned(fromByteOffset: i &* 8, as: Double.self) }
        }
        let divisor = Double(inputs.count)
        for i in 0..<n { out.storeBytes(of: acc[i] / divisor, toByteOffset: i &* 8, as: Double.self) }
    }

    private static func meanFloat16(_ inputs: [UnsafeRawBufferPointer], _ first: Int, _ n: Int, _ out: UnsafeMutableRawPointer,
                                    _ acc: UnsafeMutablePointer<Float>) {
        let source = inputs[0].baseAddress! + first * 2
        for i in 0..<n { acc[i] = Float(source.loadUnaligned(fromByteOffset: i &* 2, as: Float16.self)) }
        for input in inputs.dropFirst() {
            let source = input.baseAddress! + first * 2
            for i in 0..<n { acc[i] += Float(source.loadUnaligned(fromByteOffset: i &* 2, as: Float16.self)) }
        }
        let divisor = Float(inputs.count)
        for i in 0..<n { out.storeBytes(of: Float16(acc[i] / divisor), toByteOffset: i &* 2, as: Float16.self) }
    }

    private static func meanBFloat16(_ inputs: [UnsafeRawBufferPointer], _ first: Int, _ n: Int, _ out: UnsafeMutableRawPointer,
                                     _ acc: UnsafeMutablePointer<Float>) {
        let source = inputs[0].baseAddress! + first * 2
        for i in 0..<n { acc[i] = bfloat16(source.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)) }
        for input in inputs.dropFirst() {
            let source = input.baseAddress! + first * 2
            for i in 0..<n { acc[i] += bfloat16(source.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self)) }
        }
        let divisor = Float(inputs.count)
        for i in 0..<n { out.storeBytes(of: bfloat16Bits(acc[i] / divisor), toByteOffset: i &* 2, as: UInt16.self) }
    }

    /// A bfloat16's value: the high half of a Float.
    @inline(__always) static func bfloat16(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    /// A Float rounded to the nearest bfloat16 (ties to even, as PyTorch rounds), NaN kept a quiet NaN.
    @inline(__always) static func bfloat16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: bits >> 16) | 0x0040 }
        return UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
    }
}
