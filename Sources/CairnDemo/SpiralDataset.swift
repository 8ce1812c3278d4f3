#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A generated classification data set: points on interleaved noisy spirals, one class per arm.
/// Deterministic for a seed, so the demo's runs can be compared.
public struct SpiralDataset: Sendable {
    /// Row-major features, `count × 2`.
    public var features: [Double]
    /// Each point's class, `0..<classes`.
    public var labels: [Int]
    /// The number of classes (spiral arms).
    public var classes: Int
    /// The number of points.
    public var count: Int { labels.count }

    /// Generates the points.
    /// - Parameters:
    ///   - pointsPerClass: points on each arm.
    ///   - classes: the number of arms.
    ///   - noise: the standard deviation of the angle's noise.
    ///   - seed: the generator's seed; the same seed gives the same points.
    public init(pointsPerClass: Int, classes: Int, noise: Double, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var features: [Double] = []
        var labels: [Int] = []
        features.reserveCapacity(pointsPerClass * classes * 2)
        for c in 0..<classes {
            for i in 0..<pointsPerClass {
                let r = Double(i) / Double(pointsPerClass)
                let t = Double(c) * 2 * Double.pi / Double(classes) + r * 3.5 + rng.nextGaussian() * noise
                features.append(r * cos(t))
                features.append(r * sin(t))
                labels.append(c)
            }
        }
        self.features = features
        self.labels = labels
        self.classes = classes
    }

    /// Splits off the last `fraction` of a shuffled copy as a validation set.
    /// - Parameters:
    ///   - fraction: the share of points for validation (0.25: a quarter).
    ///   - seed: the shuffle's seed.
    /// - Returns: the training and validation sets.
    public func split(validationFraction fraction: Double, seed: UInt64) -> (train: SpiralDataset, validation: SpiralDataset) {
        var rng = SplitMix64(seed: seed)
        var order = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let cut = count - Int(Double(count) * fraction)
        return (subset(Array(order[..<cut])), subset(Array(order[cut...])))
    }

    func subset(_ indices: [Int]) -> SpiralDataset {
        var copy = self
        copy.features = indices.flatMap { [features[2 * $0], features[2 * $0 + 1]] }
        copy.labels = indices.map { labels[$0] }
        return copy
    }
}

/// A small, fast, seedable random number generator (SplitMix64).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator.
    /// - Parameter seed: the seed; the same seed gives the same sequence.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    /// - Returns: a uniformly distributed value.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A standard normal sample (Box–Muller).
    /// - Returns: a sample of mean 0 and standard deviation 1.
    public mutating func nextGaussian() -> Double {
        let u1 = max(Double(next() >> 11) / Double(1 << 53), 1e-300)
        let u2 = Double(next() >> 11) / Double(1 << 53)
        return sqrt(-2 * log(u1)) * cos(2 * Double.pi * u2)
    }
}
