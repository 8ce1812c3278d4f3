/// A folder convention: the path templates of every file Cairn writes for a run, by role.
///
/// ``LayoutRole/experimentName`` parses an experiment's name into fields; ``LayoutRole/experiment`` and
/// ``LayoutRole/run`` are relative to the store root; every other role is relative to the run folder.
/// See ``BuiltinLayouts`` for the built-in conventions and ``PathTemplate`` for the template syntax.
public struct Layout: Hashable, Sendable, CustomStringConvertible {
    /// The layout's name (`cairn`, `prompt-tree`, or a user's own).
    public let name: String
    /// One line saying what the layout is.
    public let summary: String
    /// The templates by role, defaults included.
    public let templates: [LayoutRole: PathTemplate]
    /// Fields read from a JSON file inside a folder checkpoint when its name does not give them
    /// (`content_fields: "model_type=config.json#model_type"` in `cairn.yaml`).
    public let contentFields: [ContentField]

    /// The param (a flattened config key) whose value names the experiment a run's experiment continues
    /// from (`pretrained_experiment.name` in pretrain-finetune configs), if the convention has one.
    public let parentExperimentParam: String?

    /// The tool whose own record and metrics files the layout reads (``LayoutRole/toolRecord``,
    /// ``LayoutRole/toolMetrics``), if any.
    public let tool: ToolFormat?

    /// The key of `templates` that holds ``contentFields`` rather than a role.
    public static let contentFieldsKey = "content_fields"
    /// The key of `templates` that holds ``tool`` rather than a role.
    public static let toolKey = "tool"
    /// The key of `templates` that holds ``parentExperimentParam`` rather than a role.
    public static let parentExperimentKey = "parent_experiment"

    /// Templates for roles a layout does not set.
    public static let defaultTemplates: [LayoutRole: String] = [
        .runRecord: "run.json",
        .params: "params.json",
        .tags: "tags.json",
        .gitDiff: "git.diff",
        .config: "config.yaml",
        .log: "logs/training.log",
        .checkpointManifest: "checkpoints.jsonl",
        .metrics: "metrics/{split}/metrics.csv",
        .artifact: "artifacts/{path:path}",
        .extra: "{path:path}",
    ]

    /// The roles every layout must set itself.
    public static let requiredRoles: [LayoutRole] = [.experimentName, .experiment, .run]

    /// Builds a layout from role → template text, as written in `cairn.yaml`.
    /// - Parameters:
    ///   - name: the layout's name.
    ///   - summary: one line describing it.
    ///   - templates: template text by role name (`experiment_name`, `run`, `checkpoint`, …).
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/layout`` for an unknown role, a bad template, a
    ///   missing `experiment_name`, `experiment` or `run`, a `run` template lacking a field of
    ///   `experiment`, or an `experiment` template using a field `experiment_name` does not give.
    public init(name: String, summary: String, templates: [String: String]) throws(CairnError) {
        var parsed: [LayoutRole: PathTemplate] = [:]
        var contentFields: [ContentField] = []
        var parentExperimentParam: String?
        var tool: ToolFormat?
        for key in templates.keys.sorted() {
            if key == Self.toolKey {
                guard let known = ToolFormat(rawValue: templates[key]!) else {
                    throw CairnError(.layout, "layout '\(name)': tool \(NameComponent.quoted(templates[key]!)) is not a tool Cairn reads",
                                     hint: "known tools: " + ToolFormat.allCases.map(\.rawValue).joined(separator: ", "))
                }
                tool = known
                continue
            }
            if key == Self.contentFieldsKey {
                contentFields = try ContentField.parseList(templates[key]!, layout: name)
                continue
            }
            if key == Self.parentExperimentKey {
                let param = ConfigOverride.trimmed(Substring(templates[key]!))
                guard !param.isEmpty, !param.contains(where: { $0 == "/" || $0.isWhitespace }) else {
                    throw CairnError(.layout, "layout '\(name)': parent_experiment \(NameComponent.quoted(templates[key]!)) is not a config key",
                                     hint: "name the flattened config key that holds the parent experiment's name, e.g. pretrained_experiment.name")
                }
                parentExperimentParam = param
                continue
            }
            guard let role = LayoutRole(rawValue: key) else {
                throw CairnError(.layout, "layout '\(name)' sets the unknown role \(NameComponent.quoted(key))",
                                 hint: "known roles: " + LayoutRole.allCases.map(\.rawValue).joined(separator: ", "))
            }
            do {
                parsed[role] = try PathTemplate(templates[key]!)
            } catch {
                throw CairnError(.layout, "layout '\(name)', role '\(key)': \(error.message)", hint: error.hint)
            }
        }
        for role in Self.requiredRoles where parsed[role] == nil {
            throw CairnError(.layout, "layout '\(name)' does not set the role '\(role.rawValue)'",
                             hint: "every layout sets experiment_name, experiment and run")
        }
        for (role, text) in Self.defaultTemplates where parsed[role] == nil {
            parsed[role] = try PathTemplate(text)
        }
        let experiment = parsed[.experiment]!, run = parsed[.run]!, experimentName = parsed[.experimentName]!
        for field in experiment.fieldNames where !run.fieldNames.contains(field) {
            throw CairnError(.layout, "layout '\(name)': the run template '\(run.text)' lacks the field '\(field)' of the experiment template '\(experiment.text)'",
                             hint: "a run folder must sit inside its experiment's folder; use every field of 'experiment' in 'run'")
        }
        for field in experiment.fieldNames where field != "experiment" && field != "experiment_id" && !experimentName.fieldNames.contains(field) {
            throw CairnError(.layout, "layout '\(name)': the experiment template '\(experiment.text)' uses the field '\(field)', which the experiment_name template '\(experimentName.text)' does not give",
                             hint: "name the field in experiment_name, or use {experiment} (the whole name) or {experiment_id} (its id)")
        }
        self.name = name
        self.summary = summary
        self.templates = parsed
        self.contentFields = contentFields
        self.parentExperimentParam = parentExperimentParam
        self.tool = tool
        for role in [LayoutRole.toolRecord, .toolMetrics] where parsed[role] != nil && tool == nil {
            throw CairnError(.layout, "layout '\(name)' sets the role '\(role.rawValue)' but no tool to read it",
                             hint: "add 'tool: " + ToolFormat.allCases.map(\.rawValue).joined(separator: "|") + "' to the layout")
        }
    }

    /// True for MLflow's file store as MLflow lays it out (the mlflow tool, experiment folders named by
    /// id), not for a layout carrying its files in other folders (`cairn+mlflow`).
    public var isMLflowFileStore: Bool {
        tool == .mlflow && templates[.experiment]?.fieldNames.contains("experiment_id") == true
    }

    /// The template of a role, if the layout has one.
    public func template(_ role: LayoutRole) -> PathTemplate? { templates[role] }

    /// Renders the path of a role (relative to the store root for `experiment` and `run`, else to the run folder).
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/layout`` if the layout lacks the role or rendering fails.
    public func render(_ role: LayoutRole, _ fields: LayoutFields) throws(CairnError) -> String {
        guard let template = templates[role] else {
            throw CairnError(.layout, "layout '\(name)' has no template for '\(role.rawValue)'",
                             hint: "set '\(role.rawValue)' in the layout, or use a layout that has it")
        }
        return try template.render(fields)
    }

    /// Matches a path against a role's template; nil if the layout lacks the role or the path does not match.
    public func match(_ role: LayoutRole, _ path: String) -> LayoutFields? {
        templates[role]?.match(path)
    }

    /// The fields of an experiment name: those the `experiment_name` template parses out, plus
    /// `experiment` = the whole name and, when given, `experiment_id` = its id (MLflow's file store
    /// names experiment folders by id).
    /// - Throws: ``CairnError`` of kind ``CairnError/Kind/layout`` saying which shape this layout expects.
    public func experimentFields(for experimentName: ExperimentName, id: ExperimentID? = nil) throws(CairnError) -> LayoutFields {
        let text = experimentName.description
        let template = templates[.experimentName]!
        guard var fields = template.match(text) else {
            throw CairnError(.layout, "layout '\(name)' expects experiment names of the form \(template.shape), not \(NameComponent.quoted(text))",
                             hint: "name the experiment like \(template.shape) (template '\(template.text)')")
        }
        fields["experiment"] = .string(text)
        if let id { fields["experiment_id"] = .int(id.value) }
        return fields
    }

    /// True when a run folder can hold one of several runs of an experiment: the `run` template has a
    /// `run_id` or `run_name` field or a time field.
    public var runFolderHasUniqueField: Bool {
        let run = templates[.run]!
        return run.hasTimeField || run.requiredFieldNames.contains("run_id") || run.requiredFieldNames.contains("run_name")
    }

    public var description: String { name }
}
