import CairnCore

extension CairnAPI {
    /// A config template of the store (`.cairn/templates/NAME.yaml`), as `cairn template ls` lists it.
    public struct Template: Codable, Sendable, Equatable {
        /// Its name (the file's name without `.yaml`).
        public var name: String
        /// The template file, absolute.
        public var path: String
        /// Its size in bytes.
        public var bytes: Int64
        /// How many leaf keys it sets (`training.lr` is one).
        public var keys: Int
        /// Its top-level sections, in file order.
        public var sections: [String]

        /// A template as listed.
        public init(name: String, path: String, bytes: Int64, keys: Int, sections: [String]) {
            self.name = name
            self.path = path
            self.bytes = bytes
            self.keys = keys
            self.sections = sections
        }
    }
}
