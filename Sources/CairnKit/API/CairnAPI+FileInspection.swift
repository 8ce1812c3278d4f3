import CairnCore

extension CairnAPI {
    /// What `cairn inspect FILE` found in a tensor or event file: its format, its entries, its metadata.
    public struct FileInspection: Codable, Sendable, Equatable {
        /// One entry of the file: a tensor (npy, safetensors, PyTorch) or a scalar series (event files).
        public struct Entry: Codable, Sendable, Equatable {
            /// The entry's name: a tensor's key, a tag; `array` for the one array of an npy file.
            public var name: String
            /// The element type (`float32`, `int64`, `bfloat16`, …).
            public var dtype: String
            /// The dimensions (`[]` for a scalar); for an event file's series, its number of points.
            public var shape: [Int]
            /// The bytes its data takes in the file.
            public var bytes: Int

            /// An entry.
            /// - Parameters:
            ///   - name: the entry's name.
            ///   - dtype: its element type.
            ///   - shape: its dimensions.
            ///   - bytes: the bytes its data takes.
            public init(name: String, dtype: String, shape: [Int], bytes: Int) {
                self.name = name
                self.dtype = dtype
                self.shape = shape
                self.bytes = bytes
            }

            /// The number of elements (the product of the shape; 1 for a scalar).
            public var elements: Int { shape.reduce(1, *) }
        }

        /// The file, absolute.
        public var file: String
        /// Its format: `npy`, `tfevents`.
        public var format: String
        /// Its size in bytes.
        public var bytes: Int
        /// Its entries, in the file's order.
        public var entries: [Entry]
        /// What the file says about itself (npy: version, byte order, Fortran order; event files: the
        /// writer's version, steps, damage).
        public var metadata: [String: String]
        /// The number of elements over all entries.
        public var elements: Int
        /// The bytes of data over all entries.
        public var dataBytes: Int

        enum CodingKeys: String, CodingKey {
            case file, format, bytes, entries, metadata, elements
            case dataBytes = "data_bytes"
        }

        /// An inspection; the totals are computed from `entries`.
        /// - Parameters:
        ///   - file: the file, absolute.
        ///   - format: its format.
        ///   - bytes: its size.
        ///   - entries: its entries.
        ///   - metadata: what it says about itself.
        public init(file: String, format: String, bytes: Int, entries: [Entry], metadata: [String: String]) {
            self.file = file
            self.format = format
            self.bytes = bytes
            self.entries = entries
            self.metadata = metadata
            elements = entries.reduce(0) { $0 + $1.elements }
            dataBytes = entries.reduce(0) { $0 + $1.bytes }
        }
    }
}
