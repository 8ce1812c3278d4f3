#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Logs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a run's log (what cairn exec captured, one timestamped line per line of output).",
            discussion: "With --follow, keeps printing what is appended until the run ends (or Ctrl-C).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runArgument: String?
        @Flag(name: .shortAndLong, help: "Keep printing new lines until the run ends.") var follow = false

        func run() throws {
            let store = try storeOptions.open()
            let reference = try RunReference.resolve(runArgument)
            let run = try store.run(reference)
            let path = try store.runFilePath(run, .log)
            var offset: off_t = 0
            var buffer = [UInt8](repeating: 0, count: 65536)
            func drain() -> Bool {
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { return false }
                defer { close(fd) }
                var any = false
                while true {
                    let n = pread(fd, &buffer, buffer.count, offset)
                    if n <= 0 { break }
                    var chunk = Array(buffer[0..<n])
                    Terminal.writeBytes(1, &chunk)
                    offset += off_t(n)
                    any = true
                }
                return any
            }
            let found = drain()
            if !follow {
                if !found && offset == 0 {
                    throw CairnError(.notFound, "run \(run.id) has no log at '\(path)'",
                                     hint: "logs are written by 'cairn exec'; runs made with 'cairn run new' have none")
                }
                return
            }
            while true {
                if !drain() {
                    let current = try store.run(reference)
                    if store.liveness(of: current.record) != .alive {
                        _ = drain()
                        return
                    }
                    usleep(200_000)
                }
            }
        }
    }
}
