import ArgumentParser

/// An age such as `30d`, `12h`, `90m`, `45s` or `2w` (`--older-than`), in seconds.
struct AgeArgument: ExpressibleByArgument, Sendable {
    let seconds: Double

    init?(argument: String) {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let unit = argument.last, let scale = units[unit], let count = Double(argument.dropLast()),
              count.isFinite, count >= 0 else { return nil }
        seconds = count * scale
    }

    static var defaultCompletionKind: CompletionKind { .default }
}
