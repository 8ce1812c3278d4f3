import CairnCore
import CairnKit

/// Layouts as text.
enum LayoutText {
    /// `LAYOUT RUN FOLDER SUMMARY`, the one in use marked with `*`.
    static func table(_ layouts: [CairnAPI.Layout]) -> String {
        var table = Table("LAYOUT", "RUN FOLDER", "SUMMARY")
        for layout in layouts { table.add([layout.name + (layout.inUse ? " *" : ""), layout.templates["run"] ?? "-", layout.summary]) }
        return table.text
    }

    /// A layout's summary and every template, in the order of the roles.
    static func templates(_ layout: CairnAPI.Layout) -> String {
        var table = Table("ROLE", "TEMPLATE")
        for role in LayoutRole.allCases { if let template = layout.templates[role.rawValue] { table.add([role.rawValue, template]) } }
        return "\(layout.name): \(layout.summary)\n" + table.text
    }
}
