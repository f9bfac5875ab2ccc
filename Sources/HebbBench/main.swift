// hebb-bench: measures the benchmark workloads and prints one JSON line per row (stdout) and a
// readable line per row (stderr); scripts/bench/run.sh runs it once per row, next to the NumPy
// and PyTorch peers, and scripts/bench/table.py turns all lines into the table.
//
// Usage: hebb-bench [--quick] [--datasets DIR] [--full-recipe] [--row ID]... | --list
//   --row ID       measure only these rows (repeatable; default: every row but mnist-recipe-real)
//   --quick        fewer images per row, to check the script works (timings not for reporting)
//   --datasets DIR where MNIST's IDX files are (default ../shared/datasets; synthetic if absent)
//   --full-recipe  also run 4SoftHebbCnnMNIST's whole recipe for real (row mnist-recipe-real, 20–60 min)
import Foundation
import HebbData
import HebbExperiment
import HebbTensor

/// Every row id, in table order; `cifar-clf` and `mnist-clf` also print the `-fwd` rows.
let allRows = [
    "roofline", "krotov-1024", "krotov-100", "softmlp-32", "cifar-b0", "cifar-b1", "cifar-b2", "cifar-clf",
    "mnist-b0", "mnist-b1", "mnist-b2", "mnist-clf", "mnist-recipe-real",
]

struct Options {
    var quick = false
    var datasets = "../shared/datasets"
    var fullRecipe = false
    var rows: [String] = []
}

func parseOptions(_ arguments: [String]) -> Options {
    var options = Options()
    var iterator = arguments.makeIterator()
    func fail(_ message: String) -> Never {
        FileHandle.standardError.write("hebb-bench: \(message)\n".data(using: .utf8)!)
        exit(2)
    }
    while let argument = iterator.next() {
        switch argument {
        case "--quick": options.quick = true
        case "--full-recipe": options.fullRecipe = true
        case "--datasets":
            guard let folder = iterator.next() else { fail("--datasets needs a folder") }
            options.datasets = folder
        case "--row":
            guard let row = iterator.next() else { fail("--row needs an id") }
            guard allRows.contains(row) else { fail("unknown row \(row); rows: \(allRows.joined(separator: " "))") }
            options.rows.append(row)
        case "--list":
            print(allRows.joined(separator: "\n"))
            exit(0)
        case "-h", "--help":
            print("usage: hebb-bench [--quick] [--datasets DIR] [--full-recipe] [--row ID]... | --list")
            exit(0)
        default: fail("unknown argument \(argument)")
        }
    }
    if options.rows.isEmpty { options.rows = allRows.filter { $0 != "mnist-recipe-real" || options.fullRecipe } }
    return options
}

/// Measures `row`.
func measure(_ row: String, options: Options, mnist: () -> (DatasetSplits, String)) throws -> [Measurement] {
    switch row {
    case "roofline":
        let gflops = max(sgemmThroughput(1024, repeats: options.quick ? 3 : 10), sgemmThroughput(2048, repeats: options.quick ? 1 : 3))
        return [Measurement(row: row, seconds: 0, images: 0, flopPerImage: 0, rssMib: peakResidentMiB(), gflops: gflops,
                            note: "sgemm 1024³ and 2048³, best of several, \(BLAS.threadCount) threads, \(BLAS.configuration)")]
    case "krotov-1024", "krotov-100", "softmlp-32":
        let (data, source) = mnist()
        let preset = row.hasPrefix("krotov") ? "KrotovMlpMNIST" : "2SoftMlpMNIST"
        let batch = Int(row.split(separator: "-")[1])!
        return [try mlpRow(id: row, preset: preset, batch: batch, mnist: data, source: source, quick: options.quick)]
    case "mnist-recipe-real":
        return [try fullRecipeRow(datasets: options.datasets)]
    default:
        let stack: ConvStack
        if row.hasPrefix("cifar") {
            stack = .cifar(quick: options.quick)
        } else {
            let (data, source) = mnist()
            stack = .mnist(data, source: source, quick: options.quick)
        }
        if row.hasSuffix("clf") { return try stack.classifierRows() }
        return [try stack.blockRow(Int(row.suffix(1))!)]
    }
}

Allocator.retainFreedMemory()
let options = parseOptions(Array(CommandLine.arguments.dropFirst()))
var loaded: (DatasetSplits, String)?
let mnist = {
    if loaded == nil { loaded = loadMNIST(options.datasets) }
    return loaded!
}
var failed = false
for row in options.rows {
    do {
        for measurement in try measure(row, options: options, mnist: mnist) { measurement.emit() }
    } catch {
        failed = true
        FileHandle.standardError.write("hebb-bench: \(row) failed: \(error)\n".data(using: .utf8)!)
        emitLine("{\"impl\":\"hebb\",\"row\":\"\(row)\",\"error\":\"\(String(describing: error).replacingOccurrences(of: "\"", with: "'"))\"}")
    }
}
exit(failed ? 1 : 0)
