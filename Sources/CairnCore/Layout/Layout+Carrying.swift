extension Layout {
    /// The separator of a layout carrying another tool's files: `cairn+sacred`.
    public static let carryingSeparator: Character = "+"

    /// This layout, carrying the files of `tool`'s layout: the same experiment and run folders and
    /// checkpoint names as this one, with the tool (its reader, its `tool_record` and `tool_metrics`)
    /// and every other file the tool's layout names otherwise than by default (Sacred's `config.json`
    /// and `cout.txt`, Hydra's `.hydra/config.yaml` and job log, MLflow's `params/`…) where that layout
    /// puts them in a run folder. Named `THIS+TOOL` (`cairn+sacred`): what `cairn migrate --to cairn`
    /// makes of a tool's tree, so that every file moves with its run unchanged and is still read.
    /// - Parameter tool: a layout with a ``tool``.
    /// - Returns: nil when `tool` has none.
    public func carrying(_ tool: Layout) -> Layout? {
        guard let format = tool.tool else { return nil }
        let own: Set<LayoutRole> = [.experimentName, .experiment, .run, .checkpoint, .best, .last, .bestScore, .average]
        var texts: [String: String] = [Self.toolKey: format.rawValue]
        for (role, template) in templates { texts[role.rawValue] = template.text }
        for (role, template) in tool.templates where !own.contains(role) {
            if role == .toolRecord || role == .toolMetrics || template.text != Self.defaultTemplates[role] {
                texts[role.rawValue] = template.text
            }
        }
        if !contentFields.isEmpty { texts[Self.contentFieldsKey] = contentFields.map(\.description).joined(separator: ", ") }
        if let parentExperimentParam { texts[Self.parentExperimentKey] = parentExperimentParam }
        let toolName = tool.name.split(separator: Self.carryingSeparator).last.map(String.init) ?? tool.name
        return try? Layout(name: name + String(Self.carryingSeparator) + toolName,
                           summary: summary + "; carrying \(format)'s own files (\(toolName) layout) in each run folder", templates: texts)
    }
}
