import CairnCore
import CairnFormats

extension CairnAPI.ExperimentSettings {
    /// The settings as the YAML Cairn writes (what `cairn exp set` prints).
    public var yaml: String { ConfigFile.yaml(settings) }
}
