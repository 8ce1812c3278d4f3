import Foundation
import CairnCore

/// A RUN argument, defaulting to `$CAIRN_RUN_ID` (set by `cairn exec` for the command it runs).
enum RunReference {
    static func resolve(_ argument: String?) throws(CairnError) -> String {
        if let argument { return argument }
        if let env = ProcessInfo.processInfo.environment["CAIRN_RUN_ID"], !env.isEmpty { return env }
        throw CairnError(.invalidValue, "no run given and CAIRN_RUN_ID is not set",
                         hint: "name the run (its id or a unique prefix; 'cairn run ls' lists them)")
    }
}
