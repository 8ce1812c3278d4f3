/// One hyper-parameter setting of the demo.
public struct DemoSettings: Sendable, Equatable {
    /// The setting's name: the run's name, and the model type in the legacy tree.
    public var name: String
    /// The hidden layer's width.
    public var hidden: Int
    /// The SGD learning rate.
    public var learningRate: Double
    /// The SGD momentum.
    public var momentum: Double
    /// How many epochs to train (one checkpoint each).
    public var epochs: Int
    /// The minibatch size.
    public var batchSize: Int
    /// The seed of the model's initial weights and of the minibatch order.
    public var seed: UInt64

    /// A setting.
    /// - Parameters:
    ///   - name: the setting's name.
    ///   - hidden: the hidden layer's width.
    ///   - learningRate: the SGD learning rate.
    ///   - momentum: the SGD momentum.
    ///   - epochs: how many epochs to train.
    ///   - batchSize: the minibatch size.
    ///   - seed: the seed of the initial weights and the minibatch order.
    public init(name: String, hidden: Int, learningRate: Double, momentum: Double, epochs: Int, batchSize: Int, seed: UInt64) {
        self.name = name
        self.hidden = hidden
        self.learningRate = learningRate
        self.momentum = momentum
        self.epochs = epochs
        self.batchSize = batchSize
        self.seed = seed
    }

    /// The three settings `cairn demo` trains: too small, about right, and too hot.
    public static let standard: [DemoSettings] = [
        DemoSettings(name: "narrow", hidden: 4, learningRate: 0.3, momentum: 0.9, epochs: 30, batchSize: 32, seed: 1),
        DemoSettings(name: "wide", hidden: 32, learningRate: 0.3, momentum: 0.9, epochs: 30, batchSize: 32, seed: 1),
        DemoSettings(name: "wide-hot", hidden: 32, learningRate: 3.0, momentum: 0.9, epochs: 30, batchSize: 32, seed: 1),
    ]
}
