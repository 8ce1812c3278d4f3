/// One scalar point read from a TensorBoard event file.
public struct TensorBoardScalar: Sendable, Equatable {
    /// The event's step.
    public var step: Int64
    /// The event's wall time, in seconds since the Unix epoch.
    public var wallTime: Double
    /// The value, widened exactly to Double (float32 and float16 values are exact in a Double).
    public var value: Double

    public init(step: Int64, wallTime: Double, value: Double) {
        self.step = step
        self.wallTime = wallTime
        self.value = value
    }

    /// Equal when step and wall time are equal and the values are equal or both NaN.
    public static func == (lhs: TensorBoardScalar, rhs: TensorBoardScalar) -> Bool {
        lhs.step == rhs.step && lhs.wallTime.bitPattern == rhs.wallTime.bitPattern
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }
}
