import ArgumentParser
import CairnKit

extension Cairn {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a tensor or event file holds: its entries (name, dtype, shape, bytes), metadata and totals.",
            discussion: "Reads NumPy .npy files (versions 1.0–3.0), safetensors files (only the header of either, however large the file), PyTorch checkpoints (torch.save since 1.6, .pt/.pth/.ckpt: every tensor with its dtype, shape and bytes, and the numbers and strings beside them; the pickle is read without running anything) and TensorBoard event files (a damaged one up to the damage). The format is recognised by the file's first bytes, not its name. Needs no store.")

        @Argument(help: "The file.", completion: .file()) var file: String
        @OptionGroup var output: JSONFlag

        func run() throws {
            try output.print(try TensorFileInspector.inspect(file)) { InspectText.inspection($0) }
        }
    }
}
