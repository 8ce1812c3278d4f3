import CairnCore

extension CairnAPI {
    /// A run's param: written once, as text (MLflow's params are strings), and typed.
    ///
    /// `value` is the param's typed value: the value in the run's `config.yaml` when the param came from
    /// it, else the text typed as a `--set` value is (`64` an int, `3e-4` a float, `yes` a bool, `[1, 2]` a list).
    public struct Param: Codable, Sendable, Equatable {
        /// The typed value (a JSON number, string, boolean, null, array or object).
        public var value: ConfigValue
        /// The text, as stored in `params.json` and served to MLflow clients.
        public var text: String

        /// A param.
        /// - Parameters:
        ///   - value: its typed value.
        ///   - text: its text, as stored in `params.json`.
        public init(value: ConfigValue, text: String) {
            self.value = value
            self.text = text
        }

        /// A param typed from its text alone, as `--set` types a value.
        /// - Parameter text: the param's text (`64` becomes an int, `3e-4` a float, `yes` a bool).
        public init(text: String) {
            self.init(value: ConfigValue(typing: text), text: text)
        }
    }
}
