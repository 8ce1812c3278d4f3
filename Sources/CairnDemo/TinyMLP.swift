#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnFormats

/// A two-layer perceptron (inputs → tanh hidden layer → softmax) trained by minibatch SGD with
/// momentum: small enough to train in a second, real enough to over- and under-fit.
public struct TinyMLP: Sendable {
    /// The number of input features.
    public let inputs: Int
    /// The hidden layer's width.
    public let hidden: Int
    /// The number of classes.
    public let outputs: Int
    var w1: [Double], b1: [Double], w2: [Double], b2: [Double]
    private var v1: [Double], vb1: [Double], v2: [Double], vb2: [Double]

    /// A network with random initial weights (scaled Gaussian) and zero biases.
    /// - Parameters:
    ///   - inputs: the number of input features.
    ///   - hidden: the hidden layer's width.
    ///   - outputs: the number of classes.
    ///   - seed: the seed of the initial weights.
    public init(inputs: Int, hidden: Int, outputs: Int, seed: UInt64) {
        self.inputs = inputs
        self.hidden = hidden
        self.outputs = outputs
        var rng = SplitMix64(seed: seed)
        let s1 = sqrt(1.0 / Double(inputs)), s2 = sqrt(1.0 / Double(hidden))
        w1 = (0..<inputs * hidden).map { _ in rng.nextGaussian() * s1 }
        b1 = Array(repeating: 0, count: hidden)
        w2 = (0..<hidden * outputs).map { _ in rng.nextGaussian() * s2 }
        b2 = Array(repeating: 0, count: outputs)
        v1 = Array(repeating: 0, count: w1.count)
        vb1 = Array(repeating: 0, count: hidden)
        v2 = Array(repeating: 0, count: w2.count)
        vb2 = Array(repeating: 0, count: outputs)
    }

    /// A network with the given weights (row-major `[inputs, hidden]` and `[hidden, outputs]`, as
    /// ``safetensors(metadata:)`` writes them), as read back from a checkpoint.
    init(inputs: Int, hidden: Int, outputs: Int, w1: [Double], b1: [Double], w2: [Double], b2: [Double]) {
        self.init(inputs: inputs, hidden: hidden, outputs: outputs, seed: 0)
        precondition(w1.count == self.w1.count && b1.count == hidden && w2.count == self.w2.count && b2.count == outputs)
        (self.w1, self.b1, self.w2, self.b2) = (w1, b1, w2, b2)
    }

    /// The weights as a safetensors file (float32, as a PyTorch state dict would hold them).
    /// - Parameter metadata: text to put in the file's `__metadata__`.
    /// - Returns: the file's bytes: `fc1.weight`, `fc1.bias`, `fc2.weight`, `fc2.bias`.
    public func safetensors(metadata: [String: String] = [:]) -> [UInt8] {
        var writer = SafetensorsWriter()
        writer.metadata = metadata
        writer.add("fc1.weight", shape: [inputs, hidden], values: w1, as: .float32)
        writer.add("fc1.bias", shape: [hidden], values: b1, as: .float32)
        writer.add("fc2.weight", shape: [hidden, outputs], values: w2, as: .float32)
        writer.add("fc2.bias", shape: [outputs], values: b2, as: .float32)
        return writer.bytes()
    }

    /// The number of trainable parameters.
    public var parameterCount: Int { w1.count + b1.count + w2.count + b2.count }

    /// Class probabilities for one example; also returns the hidden activations.
    func forward(_ x: ArraySlice<Double>) -> (hidden: [Double], probabilities: [Double]) {
        var h = [Double](repeating: 0, count: hidden)
        for j in 0..<hidden {
            var sum = b1[j]
            for i in 0..<inputs { sum += x[x.startIndex + i] * w1[i * hidden + j] }
            h[j] = tanh(sum)
        }
        var logits = [Double](repeating: 0, count: outputs)
        var top = -Double.infinity
        for k in 0..<outputs {
            var sum = b2[k]
            for j in 0..<hidden { sum += h[j] * w2[j * outputs + k] }
            logits[k] = sum
            top = max(top, sum)
        }
        var total = 0.0
        for k in 0..<outputs { logits[k] = exp(logits[k] - top); total += logits[k] }
        for k in 0..<outputs { logits[k] /= total }
        return (h, logits)
    }

    /// Mean cross-entropy loss and accuracy over a data set.
    /// - Parameter data: the points to evaluate.
    /// - Returns: the mean loss and the share of points classified right.
    public func evaluate(_ data: SpiralDataset) -> (loss: Double, accuracy: Double) {
        var loss = 0.0, correct = 0
        for n in 0..<data.count {
            let p = forward(data.features[(2 * n)..<(2 * n + 2)]).probabilities
            loss -= log(max(p[data.labels[n]], 1e-12))
            if p.indices.max(by: { p[$0] < p[$1] }) == data.labels[n] { correct += 1 }
        }
        return (loss / Double(max(data.count, 1)), Double(correct) / Double(max(data.count, 1)))
    }

    /// One epoch of minibatch SGD with momentum over `data` in a shuffled order.
    /// - Parameters:
    ///   - data: the training points.
    ///   - learningRate: the SGD learning rate.
    ///   - momentum: the SGD momentum.
    ///   - batchSize: the minibatch size.
    ///   - rng: the generator that shuffles the points.
    public mutating func trainEpoch(_ data: SpiralDataset, learningRate: Double, momentum: Double,
                                    batchSize: Int, rng: inout SplitMix64) {
        var order = Array(0..<data.count)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        var g1 = [Double](repeating: 0, count: w1.count), gb1 = [Double](repeating: 0, count: hidden)
        var g2 = [Double](repeating: 0, count: w2.count), gb2 = [Double](repeating: 0, count: outputs)
        var start = 0
        while start < order.count {
            let batch = order[start..<min(start + batchSize, order.count)]
            for i in g1.indices { g1[i] = 0 }
            for i in gb1.indices { gb1[i] = 0 }
            for i in g2.indices { g2[i] = 0 }
            for i in gb2.indices { gb2[i] = 0 }
            for n in batch {
                let x = data.features[(2 * n)..<(2 * n + 2)]
                let (h, p) = forward(x)
                var dh = [Double](repeating: 0, count: hidden)
                for k in 0..<outputs {
                    let dz = p[k] - (k == data.labels[n] ? 1 : 0)
                    gb2[k] += dz
                    for j in 0..<hidden {
                        g2[j * outputs + k] += h[j] * dz
                        dh[j] += w2[j * outputs + k] * dz
                    }
                }
                for j in 0..<hidden {
                    let da = dh[j] * (1 - h[j] * h[j])
                    gb1[j] += da
                    for i in 0..<inputs { g1[i * hidden + j] += x[x.startIndex + i] * da }
                }
            }
            let scale = learningRate / Double(batch.count)
            Self.step(&w1, &v1, g1, scale, momentum)
            Self.step(&b1, &vb1, gb1, scale, momentum)
            Self.step(&w2, &v2, g2, scale, momentum)
            Self.step(&b2, &vb2, gb2, scale, momentum)
            start += batchSize
        }
    }

    private static func step(_ w: inout [Double], _ v: inout [Double], _ g: [Double], _ scale: Double, _ momentum: Double) {
        for i in w.indices {
            v[i] = momentum * v[i] - scale * g[i]
            w[i] += v[i]
        }
    }
}
