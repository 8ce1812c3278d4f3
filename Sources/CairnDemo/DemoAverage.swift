import CairnCore
import CairnFormats
import CairnKit

/// The best run's weights averaged over its two best kept checkpoints (stochastic weight averaging after
/// the fact, as `cairn ckpt average RUN --top 2` does), written twice: at the layout's `average` place
/// (`checkpoints/average.safetensors`) and as a PyTorch checkpoint beside it
/// (`checkpoints/average.pt`, which `torch.load(path, weights_only=True)` reads); the averaged model is
/// then evaluated on the validation set.
public struct DemoAverage: Sendable, Codable, Equatable {
    /// The safetensors average and the PyTorch one.
    public var safetensors: CairnAPI.CheckpointAverage
    public var torch: CairnAPI.CheckpointAverage
    /// The averaged model on the validation set.
    public var validationLoss: Double
    public var validationAccuracy: Double

    enum CodingKeys: String, CodingKey {
        case safetensors, torch
        case validationLoss = "validation_loss"
        case validationAccuracy = "validation_accuracy"
    }

    /// Averages `run`'s two best checkpoints and evaluates the result.
    /// - Throws: `CairnError` when the checkpoints cannot be read or the averages written.
    static func make(of run: DemoRunResult, validation: SpiralDataset, in store: Store) throws(CairnError) -> DemoAverage {
        let safetensors = try store.averageCheckpoints(of: run.run, choosing: .top(2))
        let folder = safetensors.path.lastIndex(of: "/").map { String(safetensors.path[..<$0]) } ?? "."
        let torch = try store.averageCheckpoints(of: run.run, choosing: .top(2), output: folder + "/average.pt")
        // The averaged weights, read back from the PyTorch file.
        let model = try TinyMLP.load(torch.path, hidden: run.setting.hidden)
        let result = model.evaluate(validation)
        return DemoAverage(safetensors: safetensors, torch: torch, validationLoss: result.loss, validationAccuracy: result.accuracy)
    }
}
