import CairnCore

extension CairnAPI {
    /// A layout: the path templates that name a store's folders and files (`layout ls`, `layout show`).
    public struct Layout: Codable, Sendable, Equatable {
        /// The layout's name (`cairn`, `run-dirs`, or one defined in `cairn.yaml`).
        public var name: String
        /// One line on the convention it follows.
        public var summary: String
        /// True for the layout the store uses.
        public var inUse: Bool
        /// True for a layout built into Cairn, false for one defined in `cairn.yaml`.
        public var builtin: Bool
        /// Each role's template (`run`, `checkpoint`, `metrics`, …), and `tool` for a layout that reads
        /// another tool's own files (`sacred`).
        public var templates: [String: String]

        /// A layout's description.
        /// - Parameters:
        ///   - layout: the layout.
        ///   - inUse: whether the store uses it.
        public init(_ layout: CairnCore.Layout, inUse: Bool) {
            name = layout.name
            summary = layout.summary
            self.inUse = inUse
            builtin = BuiltinLayouts.named(layout.name) == layout
            var templates: [String: String] = [:]
            for role in LayoutRole.allCases { if let template = layout.template(role) { templates[role.rawValue] = template.text } }
            // As in cairn.yaml, the tool whose files the layout reads sits beside its roles.
            if let tool = layout.tool { templates[CairnCore.Layout.toolKey] = tool.rawValue }
            self.templates = templates
        }

        enum CodingKeys: String, CodingKey {
            case name, summary, builtin, templates
            case inUse = "in_use"
        }
    }
}
