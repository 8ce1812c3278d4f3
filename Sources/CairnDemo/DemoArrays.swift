import CairnCore
import CairnFormats
import CairnKit

/// The demo's NumPy files: a trained model's outputs on the validation set, saved at the places the run's
/// layout names for embeddings and predictions (`embeddings/val_embeddings.npy`,
/// `predictions/val_predictions.npy` in the run folder, float32, as an evaluation script would save them
/// with numpy), each written atomically with its sha256 recorded in `artifacts.jsonl`.
enum DemoArrays {
    /// Saves the hidden layer's activations and the class probabilities of every validation point.
    /// - Returns: the two artifacts' records.
    static func save(_ model: TinyMLP, on validation: SpiralDataset, of run: Run, in store: Store) throws(CairnError) -> [ArtifactRecord] {
        var hidden: [Double] = []
        var probabilities: [Double] = []
        for n in 0..<validation.count {
            let output = model.forward(validation.features[(2 * n)..<(2 * n + 2)])
            hidden += output.hidden
            probabilities += output.probabilities
        }
        return [try save(hidden, shape: [validation.count, model.hidden], as: .embeddings, of: run, in: store),
                try save(probabilities, shape: [validation.count, model.outputs], as: .predictions, of: run, in: store)]
    }

    private static func save(_ values: [Double], shape: [Int], as role: LayoutRole, of run: Run, in store: Store) throws(CairnError) -> ArtifactRecord {
        var data: [UInt8] = []
        data.reserveCapacity(values.count * 4)
        for value in values { withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { data += $0 } }
        let bytes = try NpyArray(dtype: .float32, shape: shape, cOrderLittleEndian: data).encoded()
        let upload = try store.beginArtifact(run, role: role, fields: ["split": "val"])
        try bytes.withUnsafeBytes { raw in Result { () throws(CairnError) in try upload.write(raw) } }.get()
        return try upload.finish()
    }
}
