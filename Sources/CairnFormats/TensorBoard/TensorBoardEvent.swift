/// One record of a TensorBoard event file: the `tensorboard.Event` protobuf message, reduced to what
/// Cairn writes and reads.
///
/// Wire layout (proto3; fields holding their default value are left out, fields in ascending order):
/// `Event{wall_time=1 double, step=2 int64, oneof what {file_version=3 string, summary=5 Summary, …}}`,
/// `Summary{value=1 repeated Value}`,
/// `Value{tag=1 string, oneof value {simple_value=2 float, …, tensor=8 TensorProto}, metadata=9 SummaryMetadata}`,
/// `SummaryMetadata{plugin_data=1 {plugin_name=1, content=2}, display_name=2, summary_description=3, data_class=4}`,
/// `TensorProto{dtype=1, tensor_shape=2 {dim=2 {size=1}}, tensor_content=4, float_val=5, double_val=6, half_val=13}`.
public struct TensorBoardEvent: Sendable, Equatable {
    /// Seconds since the Unix epoch.
    public var wallTime: Double
    /// The training step (0 is not written, per proto3).
    public var step: Int64
    /// What the event carries (the `what` oneof).
    public var content: Content

    /// The `what` oneof of an Event.
    public enum Content: Sendable, Equatable {
        /// Nothing set.
        case none
        /// `file_version` (field 3), e.g. `brain.Event:2`.
        case fileVersion(String)
        /// `summary` (field 5).
        case summary([Value])
        /// Another member of the oneof (graph, log message, session log, …), kept only by field number.
        case other(field: Int)
    }

    /// One `Summary.Value`.
    public struct Value: Sendable, Equatable {
        /// The tag (field 1).
        public var tag: String
        /// The value (the `value` oneof).
        public var kind: Kind
        /// The summary metadata (field 9), if present.
        public var metadata: Metadata?

        public init(tag: String, kind: Kind, metadata: Metadata? = nil) {
            self.tag = tag
            self.kind = kind
            self.metadata = metadata
        }

        /// The `value` oneof of a Summary.Value.
        public enum Kind: Sendable, Equatable {
            /// Nothing set.
            case none
            /// `simple_value` (field 2): an old-style scalar.
            case simpleValue(Float)
            /// `tensor` (field 8).
            case tensor(Tensor)
            /// Another member (image 4, histo 5, audio 6, obsolete histogram 3), by field number.
            case other(field: Int)
        }
    }

    /// `SummaryMetadata`.
    public struct Metadata: Sendable, Equatable {
        /// `plugin_data.plugin_name`, e.g. `scalars`, `text`, `images`.
        public var pluginName: String
        /// `plugin_data.content`.
        public var pluginContent: [UInt8]
        /// `display_name`.
        public var displayName: String
        /// `summary_description`.
        public var summaryDescription: String
        /// `data_class` (0 unknown, 1 scalar, 2 tensor, 3 blob sequence).
        public var dataClass: Int

        /// The data class TensorBoard uses for scalars.
        public static let scalarDataClass = 1

        public init(pluginName: String = "", pluginContent: [UInt8] = [], displayName: String = "",
                    summaryDescription: String = "", dataClass: Int = 0) {
            self.pluginName = pluginName
            self.pluginContent = pluginContent
            self.displayName = displayName
            self.summaryDescription = summaryDescription
            self.dataClass = dataClass
        }
    }

    /// `TensorProto`, with the value arrays a scalar may use.
    public struct Tensor: Sendable, Equatable {
        /// `DT_FLOAT`.
        public static let float32: Int = 1
        /// `DT_DOUBLE`.
        public static let float64: Int = 2
        /// `DT_STRING`.
        public static let string: Int = 7
        /// `DT_HALF`.
        public static let float16: Int = 19

        /// The data type enum (field 1).
        public var dtype: Int
        /// The dimensions (field 2), or nil when `tensor_shape` is absent; `[]` is a rank-0 scalar.
        public var shape: [Int64]?
        /// `tensor_content` (field 4): packed little-endian values.
        public var content: [UInt8]
        /// `float_val` (field 5).
        public var floatValues: [Float]
        /// `double_val` (field 6).
        public var doubleValues: [Double]
        /// `half_val` (field 13): float16 bit patterns.
        public var halfValues: [UInt16]

        public init(dtype: Int, shape: [Int64]? = [], content: [UInt8] = [], floatValues: [Float] = [],
                    doubleValues: [Double] = [], halfValues: [UInt16] = []) {
            self.dtype = dtype
            self.shape = shape
            self.content = content
            self.floatValues = floatValues
            self.doubleValues = doubleValues
            self.halfValues = halfValues
        }

        /// The value, widened exactly to Double, when the tensor is a single DT_FLOAT, DT_DOUBLE or DT_HALF
        /// element (from the typed value array or from `tensor_content`); nil otherwise.
        public var scalarValue: Double? {
            if let shape, shape.contains(where: { $0 != 1 }) { return nil }
            switch dtype {
            case Self.float32:
                if floatValues.count == 1 { return Double(floatValues[0]) }
                if floatValues.isEmpty, content.count == 4 {
                    return Double(Float(bitPattern: UInt32(Self.littleEndian(content, 4))))
                }
            case Self.float64:
                if doubleValues.count == 1 { return doubleValues[0] }
                if doubleValues.isEmpty, content.count == 8 { return Double(bitPattern: Self.littleEndian(content, 8)) }
            case Self.float16:
                if halfValues.count == 1 { return FloatBits.half(halfValues[0]) }
                if halfValues.isEmpty, content.count == 2 { return FloatBits.half(UInt16(Self.littleEndian(content, 2))) }
            default:
                break
            }
            return nil
        }

        private static func littleEndian(_ bytes: [UInt8], _ count: Int) -> UInt64 {
            var v: UInt64 = 0
            for i in 0..<count { v |= UInt64(bytes[i]) << UInt64(8 * i) }
            return v
        }
    }

    public init(wallTime: Double, step: Int64 = 0, content: Content) {
        self.wallTime = wallTime
        self.step = step
        self.content = content
    }

    /// The version string Cairn writes in the first record (TensorBoard needs 2 or more).
    public static let fileVersion2 = "brain.Event:2"

    /// An old-style scalar event: `Value{tag, simple_value}`, as `SummaryWriter.add_scalar` writes.
    public static func scalar(tag: String, value: Float, step: Int64, wallTime: Double) -> TensorBoardEvent {
        TensorBoardEvent(wallTime: wallTime, step: step, content: .summary([Value(tag: tag, kind: .simpleValue(value))]))
    }

    // MARK: Encoding

    /// The event's protobuf bytes (byte-identical to Python's `SerializeToString` for the fields above).
    public func encoded() -> [UInt8] {
        var w = Protobuf.Writer()
        if wallTime.bitPattern != 0 { w.double(1, wallTime) }
        if step != 0 { w.int64(2, step) }
        switch content {
        case .none, .other: break
        case .fileVersion(let version): w.string(3, version)
        case .summary(let values):
            w.message(5) { summary in
                for value in values { summary.message(1) { Self.encode(value, into: &$0) } }
            }
        }
        return w.bytes
    }

    private static func encode(_ value: Value, into w: inout Protobuf.Writer) {
        if !value.tag.isEmpty { w.string(1, value.tag) }
        switch value.kind {
        case .none, .other: break
        case .simpleValue(let f): w.float(2, f)
        case .tensor(let t): w.message(8) { encode(t, into: &$0) }
        }
        if let m = value.metadata {
            w.message(9) { meta in
                if !m.pluginName.isEmpty || !m.pluginContent.isEmpty {
                    meta.message(1) { plugin in
                        if !m.pluginName.isEmpty { plugin.string(1, m.pluginName) }
                        if !m.pluginContent.isEmpty { plugin.lengthDelimited(2, m.pluginContent) }
                    }
                }
                if !m.displayName.isEmpty { meta.string(2, m.displayName) }
                if !m.summaryDescription.isEmpty { meta.string(3, m.summaryDescription) }
                if m.dataClass != 0 { meta.int64(4, Int64(m.dataClass)) }
            }
        }
    }

    private static func encode(_ t: Tensor, into w: inout Protobuf.Writer) {
        if t.dtype != 0 { w.int64(1, Int64(t.dtype)) }
        if let shape = t.shape {
            w.message(2) { s in
                for size in shape { s.message(2) { dim in if size != 0 { dim.int64(1, size) } } }
            }
        }
        if !t.content.isEmpty { w.lengthDelimited(4, t.content) }
        if !t.floatValues.isEmpty {
            var packed = Protobuf.Writer()
            for f in t.floatValues { packed.fixed32(f.bitPattern) }
            w.lengthDelimited(5, packed.bytes)
        }
        if !t.doubleValues.isEmpty {
            var packed = Protobuf.Writer()
            for d in t.doubleValues { packed.fixed64(d.bitPattern) }
            w.lengthDelimited(6, packed.bytes)
        }
        if !t.halfValues.isEmpty {
            var packed = Protobuf.Writer()
            for h in t.halfValues { packed.varint(UInt64(h)) }
            w.lengthDelimited(13, packed.bytes)
        }
    }
}
