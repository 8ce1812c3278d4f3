/// One hyper-parameter setting of the demo.
public struct DemoSettings: Sendable, Equatable {
    public var name: String
    public var hidden: Int
    public var learningRate: Double
    public var momentum: Double
    public var epochs: Int
    public var batchSize: Int
    public var seed: UInt64

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
