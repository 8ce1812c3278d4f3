import CairnCore
import CairnFormats
import CairnKit

extension TinyMLP {
    /// The network whose weights a checkpoint holds (safetensors or PyTorch, as ``safetensors(metadata:)``
    /// names them: `fc1.weight`, `fc1.bias`, `fc2.weight`, `fc2.bias`).
    /// - Parameters:
    ///   - path: the checkpoint file.
    ///   - hidden: the hidden layer's width.
    /// - Returns: the network, with fresh momentum.
    /// - Throws: `CairnError` when the file cannot be read or lacks a tensor, or a tensor has another size.
    static func load(_ path: String, hidden: Int, outputs: Int = 3) throws(CairnError) -> TinyMLP {
        let file = try StateDictFile.open(path)
        func values(_ name: String, count: Int) throws(CairnError) -> [Double] {
            guard let tensor = file.tensors.first(where: { $0.name == name }) else {
                throw CairnError(.notFound, "the checkpoint '\(path)' has no tensor '\(name)'", hint: "give a checkpoint the demo wrote")
            }
            guard tensor.count == count else {
                throw CairnError(.invalidValue, "the tensor '\(name)' of '\(path)' has \(tensor.count) values, not \(count)",
                                 hint: "give a checkpoint of a network \(hidden) units wide")
            }
            return (0..<tensor.count).map { tensor.dtype.value(littleEndian: tensor.bytes.baseAddress! + $0 * tensor.dtype.itemSize) }
        }
        return TinyMLP(inputs: 2, hidden: hidden, outputs: outputs, w1: try values("fc1.weight", count: 2 * hidden),
                       b1: try values("fc1.bias", count: hidden), w2: try values("fc2.weight", count: hidden * outputs),
                       b2: try values("fc2.bias", count: outputs))
    }
}
