import CairnCore

/// The Cairn run name an MLflow run name maps to. MLflow takes any text as a run's name (`mlflow.runName`,
/// kept exactly as sent); Cairn's names are also folder names, so the name Cairn shows (`cairn run ls`)
/// is that text made into one: `/` and `\` become `-`, control characters are dropped, surrounding white
/// space and leading dots are trimmed, and it is cut to 255 bytes. What is left empty gives no Cairn name.
public enum MLflowRunName {
    public static func cairnName(for mlflowName: String) -> String? {
        if (try? NameComponent.validateVisible(Substring(mlflowName), what: "run name", whole: mlflowName)) != nil { return mlflowName }
        var scalars = String.UnicodeScalarView()
        for scalar in mlflowName.unicodeScalars where !NameComponent.isControl(scalar) {
            scalars.append(scalar == "/" || scalar == "\\" ? "-" : scalar)
        }
        var name = Substring(String(scalars))
        while let first = name.first, first.isWhitespace || first == "." { name = name.dropFirst() }
        while name.utf8.count > NameComponent.maxBytes { name = name.dropLast() }
        while name.last?.isWhitespace == true { name = name.dropLast() }
        let text = String(name)
        return (try? NameComponent.validateVisible(name, what: "run name", whole: text)) != nil ? text : nil
    }
}
