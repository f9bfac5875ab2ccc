import HebbData
import HebbExperiment
import HebbText

/// `hebb presets [NAME]`: lists presets, or prints one resolved for its dataset.
enum PresetsCommand {
    static let options: [OptionSpec] = [
        .value("presets", metavar: "FILE", help: "presets JSON file (default: built-in presets/presets.json)"),
        .value("dataset", metavar: "KEY", help: "dataset whose shape resolves the model (default: from the name, e.g. CIFAR10 for *CIFAR*)"),
        .flag("help", help: "show this help"),
    ]

    static func run(_ arguments: [String], stdout: (String) -> Void) throws -> Int32 {
        let parsed = try ArgumentParser.parse(arguments, options: options)
        if parsed.flag("help") {
            stdout(ArgumentParser.usage(command: "hebb presets [NAME]", summary: "List presets or show one resolved.", options: options))
            return CLI.ExitCode.success
        }
        let library = try PresetLibrary.load(path: parsed.value("presets"))
        guard let name = parsed.positionals.first else {
            let width = library.names.map(\.count).max() ?? 0
            for name in library.names {
                stdout(name.padded(toLength: width + 2) + (library.descriptions[name] ?? ""))
            }
            return CLI.ExitCode.success
        }
        if parsed.positionals.count > 1 { throw CLIError.unexpectedArgument(parsed.positionals[1]) }
        let dataset = try DatasetCatalog.resolve(key: parsed.value("dataset") ?? naturalDataset(for: name))
        let shape = DataShape(channels: dataset.channels, height: dataset.height, width: dataset.width, classCount: dataset.classCount)
        stdout(ModelDescription.describe(try ModelBuilder.resolve(library.resolve(name), data: shape)))
        return CLI.ExitCode.success
    }

    /// The dataset a preset name is written for (SoftHebb's naming): `…CIFAR…` → CIFAR10,
    /// `…STL…` → STL10, `…ImNet…` → ImageNette, `…FashionMNIST…` → FashionMNIST, else MNIST.
    static func naturalDataset(for name: String) -> String {
        let families = [("FashionMNIST", "FashionMNIST"), ("CIFAR", "CIFAR10"), ("STL", "STL10"), ("ImNet", "ImageNette")]
        return families.first { name.contains($0.0) }?.1 ?? "MNIST"
    }
}
