import CairnCore

/// Decoding an Event from protobuf bytes (unknown fields are skipped).
extension TensorBoardEvent {
    /// Decodes an Event from its protobuf bytes.
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/corrupt`` when the bytes are not a valid Event.
    public init(decoding bytes: [UInt8]) throws(CairnError) {
        let result: Result<TensorBoardEvent, Protobuf.DecodeError> = bytes.withUnsafeBytes { buffer in
            do throws(Protobuf.DecodeError) { return .success(try TensorBoardEvent(decoding: buffer)) } catch { return .failure(error) }
        }
        switch result {
        case .success(let event): self = event
        case .failure(let error): throw CairnError(.corrupt, "not a TensorBoard Event: \(error)")
        }
    }

    /// Decodes an Event from its protobuf bytes.
    /// - Throws: ``Protobuf/DecodeError`` naming the problem and its offset.
    public init(decoding buffer: UnsafeRawBufferPointer) throws(Protobuf.DecodeError) {
        var r = Protobuf.Reader(buffer)
        var wall = 0.0, step: Int64 = 0
        var content = Content.none
        while !r.isAtEnd {
            let (field, wire) = try r.readKey()
            switch (field, wire) {
            case (1, .fixed64): wall = Double(bitPattern: try r.readFixed64())
            case (2, .varint): step = Int64(bitPattern: try r.readVarint())
            case (3, .lengthDelimited): content = .fileVersion(String(decoding: try r.readLengthDelimited().bytes, as: UTF8.self))
            case (5, .lengthDelimited):
                let (body, offset) = try r.readLengthDelimited()
                content = .summary(try Self.decodeSummary(body, baseOffset: offset))
            case (4...9, _):
                try r.skip(wire)
                content = .other(field: field)
            default: try r.skip(wire)
            }
        }
        self.init(wallTime: wall, step: step, content: content)
    }

    static func decodeSummary(_ buffer: UnsafeRawBufferPointer, baseOffset: Int) throws(Protobuf.DecodeError) -> [Value] {
        var r = Protobuf.Reader(buffer, baseOffset: baseOffset)
        var values: [Value] = []
        while !r.isAtEnd {
            let (field, wire) = try r.readKey()
            if field == 1, wire == .lengthDelimited {
                let (body, offset) = try r.readLengthDelimited()
                values.append(try decodeValue(body, baseOffset: baseOffset + offset))
            } else {
                try r.skip(wire)
            }
        }
        return values
    }

    static func decodeValue(_ buffer: UnsafeRawBufferPointer, baseOffset: Int) throws(Protobuf.DecodeError) -> Value {
        var r = Protobuf.Reader(buffer, baseOffset: baseOffset)
        var value = Value(tag: "", kind: .none)
        while !r.isAtEnd {
            let (field, wire) = try r.readKey()
            switch (field, wire) {
            case (1, .lengthDelimited): value.tag = String(decoding: try r.readLengthDelimited().bytes, as: UTF8.self)
            case (2, .fixed32): value.kind = .simpleValue(Float(bitPattern: try r.readFixed32()))
            case (8, .lengthDelimited):
                let (body, offset) = try r.readLengthDelimited()
                value.kind = .tensor(try decodeTensor(body, baseOffset: baseOffset + offset))
            case (9, .lengthDelimited):
                let (body, offset) = try r.readLengthDelimited()
                value.metadata = try decodeMetadata(body, baseOffset: baseOffset + offset)
            case (3...6, _):
                try r.skip(wire)
                value.kind = .other(field: field)
            default: try r.skip(wire)
            }
        }
        return value
    }

    static func decodeMetadata(_ buffer: UnsafeRawBufferPointer, baseOffset: Int) throws(Protobuf.DecodeError) -> Metadata {
        var r = Protobuf.Reader(buffer, baseOffset: baseOffset)
        var m = Metadata()
        while !r.isAtEnd {
            let (field, wire) = try r.readKey()
            switch (field, wire) {
            case (1, .lengthDelimited):
                let (body, offset) = try r.readLengthDelimited()
                var p = Protobuf.Reader(body, baseOffset: baseOffset + offset)
                while !p.isAtEnd {
                    let (pf, pw) = try p.readKey()
                    switch (pf, pw) {
                    case (1, .lengthDelimited): m.pluginName = String(decoding: try p.readLengthDelimited().bytes, as: UTF8.self)
                    case (2, .lengthDelimited): m.pluginContent = Array(try p.readLengthDelimited().bytes)
                    default: try p.skip(pw)
                    }
                }
            case (2, .lengthDelimited): m.displayName = String(decoding: try r.readLengthDelimited().bytes, as: UTF8.self)
            case (3, .lengthDelimited): m.summaryDescription = String(decoding: try r.readLengthDelimited().bytes, as: UTF8.self)
            case (4, .varint): m.dataClass = Int(truncatingIfNeeded: try r.readVarint())
            default: try r.skip(wire)
            }
        }
        return m
    }

    static func decodeTensor(_ buffer: UnsafeRawBufferPointer, baseOffset: Int) throws(Protobuf.DecodeError) -> Tensor {
        var r = Protobuf.Reader(buffer, baseOffset: baseOffset)
        var t = Tensor(dtype: 0, shape: nil)
        while !r.isAtEnd {
            let (field, wire) = try r.readKey()
            switch (field, wire) {
            case (1, .varint): t.dtype = Int(truncatingIfNeeded: try r.readVarint())
            case (2, .lengthDelimited):
                let (body, offset) = try r.readLengthDelimited()
                var s = Protobuf.Reader(body, baseOffset: baseOffset + offset)
                var dims: [Int64] = []
                while !s.isAtEnd {
                    let (sf, sw) = try s.readKey()
                    if sf == 2, sw == .lengthDelimited {
                        let (dimBody, dimOffset) = try s.readLengthDelimited()
                        var d = Protobuf.Reader(dimBody, baseOffset: baseOffset + offset + dimOffset)
                        var size: Int64 = 0
                        while !d.isAtEnd {
                            let (df, dw) = try d.readKey()
                            if df == 1, dw == .varint { size = Int64(bitPattern: try d.readVarint()) } else { try d.skip(dw) }
                        }
                        dims.append(size)
                    } else {
                        try s.skip(sw)
                    }
                }
                t.shape = dims
            case (4, .lengthDelimited): t.content = Array(try r.readLengthDelimited().bytes)
            case (5, .lengthDelimited):
                let body = try r.readLengthDelimited().bytes
                var p = Protobuf.Reader(body)
                while !p.isAtEnd { t.floatValues.append(Float(bitPattern: try p.readFixed32())) }
            case (5, .fixed32): t.floatValues.append(Float(bitPattern: try r.readFixed32()))
            case (6, .lengthDelimited):
                let body = try r.readLengthDelimited().bytes
                var p = Protobuf.Reader(body)
                while !p.isAtEnd { t.doubleValues.append(Double(bitPattern: try p.readFixed64())) }
            case (6, .fixed64): t.doubleValues.append(Double(bitPattern: try r.readFixed64()))
            case (13, .lengthDelimited):
                let body = try r.readLengthDelimited().bytes
                var p = Protobuf.Reader(body)
                while !p.isAtEnd { t.halfValues.append(UInt16(truncatingIfNeeded: try p.readVarint())) }
            case (13, .varint): t.halfValues.append(UInt16(truncatingIfNeeded: try r.readVarint()))
            default: try r.skip(wire)
            }
        }
        return t
    }
}
