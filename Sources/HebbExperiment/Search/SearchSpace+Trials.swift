import HebbText
import HebbTensor

/// One trial of a search: its index and the value of every parameter.
public struct SearchTrial: Codable, Sendable, Equatable {
    /// 0-based index in the plan.
    public var index: Int
    /// Parameter values, in the space's parameter order.
    public var assignments: [SearchAssignment]

    /// The value of `name`, if the space has it.
    public func value(_ name: String) -> SearchValue? { assignments.first { $0.name == name }?.value }
}

extension SearchSpace {
    /// Most trials a search may have.
    public static let largestTrialCount = 100_000

    /// Ray Tune's expansion: the grid (every combination of grid parameters, the last parameter
    /// varying fastest) repeated `samples` times, sampled parameters drawn afresh for every trial
    /// from a generator seeded with `seed`, in trial then parameter order. Same space, samples and
    /// seed → same trials.
    public func trials(samples: Int, seed: UInt64) throws(SearchError) -> [SearchTrial] {
        guard samples >= 1 else { throw .badRequest("--num-samples must be at least 1", hint: "e.g. --num-samples 20") }
        guard let grid = gridSize, case let (total, overflow) = grid.multipliedReportingOverflow(by: samples), !overflow,
            total <= SearchSpace.largestTrialCount
        else {
            throw .badRequest(
                "search space '\(name)' gives more than \(SearchSpace.largestTrialCount) trials",
                hint: "use fewer grid values or a smaller --num-samples")
        }
        var generator = SeededGenerator(seed: seed)
        var trials: [SearchTrial] = []
        trials.reserveCapacity(total)
        for _ in 0..<samples {
            for point in 0..<grid {
                var remainder = point
                var assignments = Array(repeating: SearchAssignment(name: "", value: .integer(0)), count: parameters.count)
                // Odometer over the grid parameters, last fastest.
                for (position, parameter) in parameters.enumerated().reversed() {
                    if case .grid(let values) = parameter.domain {
                        assignments[position] = SearchAssignment(name: parameter.name, value: values[remainder % values.count])
                        remainder /= values.count
                    }
                }
                for (position, parameter) in parameters.enumerated() {
                    switch parameter.domain {
                    case .grid: continue
                    case .constant(let value): assignments[position] = SearchAssignment(name: parameter.name, value: value)
                    case .choice(let values):
                        let pick = Int(generator.next() % UInt64(values.count))
                        assignments[position] = SearchAssignment(name: parameter.name, value: values[pick])
                    case .uniform(let low, let high):
                        let u = SearchSpace.unit(&generator)
                        assignments[position] = SearchAssignment(name: parameter.name, value: .number(low + (high - low) * u))
                    case .logUniform(let low, let high):
                        let u = SearchSpace.unit(&generator)
                        assignments[position] = SearchAssignment(name: parameter.name, value: .number(exp(log(low) + (log(high) - log(low)) * u)))
                    }
                }
                trials.append(SearchTrial(index: trials.count, assignments: assignments))
            }
        }
        return trials
    }

    /// A uniform real in [0, 1) from the top 53 bits of the generator (platform-independent).
    static func unit(_ generator: inout SeededGenerator) -> Double {
        Double(generator.next() >> 11) * 0x1p-53
    }
}
