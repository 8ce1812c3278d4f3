import CairnCore

extension Store {
    /// The text of a run's config snapshot (`config.yaml` in the default layout) as the run's folder holds
    /// it, for showing; nil when its layout has no config file or the file is absent.
    /// - Parameter run: the run.
    /// - Returns: the text (invalid UTF-8 replaced by U+FFFD), or nil.
    /// - Throws: `CairnError` when the file exists but cannot be read.
    public func configText(of run: Run) throws(CairnError) -> String? {
        let runLayout = settings.layout(named: run.record.layout) ?? layout
        guard runLayout.template(.config) != nil else { return nil }
        return try FileSystem.readIfPresent(try runFilePath(run, .config)).map { String(decoding: $0, as: UTF8.self) }
    }
}
