/// Failures of `hebb view`; `description` is one line naming the thing, the place and a hint.
public enum ViewError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Neither a run folder nor a model name under the data root.
    case runNotFound(run: String, searched: [String])
    /// `--block` outside the model.
    case noSuchBlock(block: Int, blocks: Int, path: String)
    /// A metrics.jsonl line (1-based; 0: the whole file) that cannot be read.
    case badMetrics(path: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .runNotFound(let run, let searched):
            return "no run '\(run)': no model.safetensors in \(searched.map { "'\($0)'" }.joined(separator: " or ")); give a run folder or a --model-name under --data-root / HEBB_DATA"
        case .noSuchBlock(let block, let blocks, let path):
            return "block \(block) does not exist in '\(path)': the model has blocks 0…\(blocks - 1); pick one with --block"
        case .badMetrics(let path, let line, let reason):
            return "cannot read '\(path)'\(line > 0 ? " line \(line)" : ""): \(reason); fix or remove the file to plot without it"
        }
    }
}
