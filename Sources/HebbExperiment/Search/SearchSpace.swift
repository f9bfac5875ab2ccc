import HebbText
import HebbTensor

/// The values one search parameter ranges over.
public enum SearchDomain: Sendable, Equatable {
    /// Every value, crossed with the other grid parameters (a JSON list, `{"grid": […]}` or
    /// `{"geometric": {"base": b, "from": i, "to": j}}` = bⁱ…bʲ).
    case grid([SearchValue])
    /// One value drawn uniformly from the list per sample (`{"choice": […]}`).
    case choice([SearchValue])
    /// A real drawn uniformly from [low, high) per sample (`{"uniform": [low, high]}`).
    case uniform(Double, Double)
    /// A real drawn log-uniformly from [low, high) per sample (`{"log_uniform": [low, high]}`).
    case logUniform(Double, Double)
    /// The same value in every trial (a JSON scalar).
    case constant(SearchValue)
}

/// A named search parameter: `seed` (the unsupervised seed of the trial, as in SoftHebb's
/// ray_search) or a block override `bI.KEY` / `bI,bJ.KEY` (see `LayerOverride`).
public struct SearchParameter: Sendable, Equatable {
    /// `seed` or `bI.KEY`.
    public var name: String
    /// Its values.
    public var domain: SearchDomain
}

/// A search space: parameters in name order (the last one varies fastest in the grid).
///
/// JSON: `{"description": "…", "parameters": {"seed": [0, 1, 2], "b0.radius": {…}}}`.
public struct SearchSpace: Sendable, Equatable {
    /// Name (built-in name or file name).
    public var name: String
    /// One line about the space.
    public var description: String
    /// Parameters, sorted by name.
    public var parameters: [SearchParameter]

    /// Domain keys a parameter object may use.
    static let domainKeys = ["grid", "geometric", "choice", "uniform", "log_uniform"]

    /// Parses a space; `source` names it in errors.
    public init(json data: Data, name: String, source: String) throws(SearchError) {
        func bad(_ reason: String, _ hint: String = "see README, Searches and reports") -> SearchError {
            .badSpace(source: source, reason: reason, hint: hint)
        }
        guard let root = try? GuardedJSON.decode(JSONValue.self, from: data) else { throw bad("it is not valid JSON") }
        guard case .object(let object) = root else { throw bad("expected an object with a 'parameters' object") }
        if let extra = object.keys.sorted().first(where: { !["description", "parameters"].contains($0) }) {
            throw bad("unknown key '\(extra)'", "a space has only 'description' and 'parameters'")
        }
        guard case .object(let parameters)? = object["parameters"], !parameters.isEmpty else {
            throw bad("'parameters' must be a non-empty object", "e.g. {\"parameters\": {\"seed\": [0, 1, 2, 3]}}")
        }
        self.name = name
        if case .string(let text)? = object["description"] { description = text } else { description = "" }
        self.parameters = []
        for (parameter, value) in parameters.sorted(by: { $0.key < $1.key }) {
            let domain = try SearchSpace.domain(of: value, parameter: parameter, bad: bad)
            try SearchSpace.check(parameter, domain, bad: bad)
            self.parameters.append(SearchParameter(name: parameter, domain: domain))
        }
    }

    /// The domain a parameter's JSON value describes.
    static func domain(of json: JSONValue, parameter: String, bad: (String, String) -> SearchError) throws(SearchError) -> SearchDomain {
        func list(_ value: JSONValue, _ what: String) throws(SearchError) -> [SearchValue] {
            guard case .array(let items) = value, !items.isEmpty else {
                throw bad("'\(parameter)': \(what) must be a non-empty list", "e.g. [0, 1, 2]")
            }
            var values: [SearchValue] = []
            for item in items {
                guard let scalar = SearchValue(item) else { throw bad("'\(parameter)': \(what) holds a list or object", "give numbers or words") }
                values.append(scalar)
            }
            return values
        }
        func range(_ value: JSONValue, _ what: String) throws(SearchError) -> (Double, Double) {
            let bounds = (try? list(value, what))?.compactMap(\.number) ?? []
            guard bounds.count == 2, bounds.allSatisfy(\.isFinite), bounds[0] < bounds[1] else {
                throw bad("'\(parameter)': \(what) needs [low, high] with low < high", "e.g. {\"\(what)\": [0.5, 2]}")
            }
            return (bounds[0], bounds[1])
        }
        switch json {
        case .array: return .grid(try list(json, "the grid"))
        case .object(let object):
            guard object.count == 1, let entry = object.first else {
                throw bad("'\(parameter)': an object must have exactly one of \(domainKeys.joined(separator: ", "))", "e.g. {\"uniform\": [0.5, 2]}")
            }
            let (key, value) = (entry.key, entry.value)
            switch key {
            case "grid": return .grid(try list(value, key))
            case "choice": return .choice(try list(value, key))
            case "uniform":
                let (low, high) = try range(value, key)
                return .uniform(low, high)
            case "log_uniform", "loguniform":
                let (low, high) = try range(value, key)
                guard low > 0 else { throw bad("'\(parameter)': log_uniform needs a positive low bound", "e.g. {\"log_uniform\": [0.001, 0.1]}") }
                return .logUniform(low, high)
            case "geometric": return .grid(try geometric(value, parameter: parameter, bad: bad))
            default:
                let hint = EditDistance.closest(to: key, among: domainKeys).map { "did you mean '\($0)'?" } ?? "use one of \(domainKeys.joined(separator: ", "))"
                throw bad("'\(parameter)': unknown domain '\(key)'", hint)
            }
        default:
            guard let scalar = SearchValue(json) else { throw bad("'\(parameter)' is null", "give a value, a list or a domain object") }
            return .constant(scalar)
        }
    }

    /// `{"base": b, "from": i, "to": j}` → bⁱ, bⁱ⁺¹, …, bʲ.
    static func geometric(_ json: JSONValue, parameter: String, bad: (String, String) -> SearchError) throws(SearchError) -> [SearchValue] {
        let example = "e.g. {\"geometric\": {\"base\": 1.25, \"from\": -10, \"to\": 16}}"
        guard case .object(let fields) = json, Set(fields.keys) == ["base", "from", "to"],
            let base = fields["base"].flatMap(SearchValue.init)?.number, base > 0, base.isFinite,
            case .integer(let from)? = fields["from"], case .integer(let to)? = fields["to"], from <= to, to - from < 100_000
        else { throw bad("'\(parameter)': geometric needs a positive 'base' and whole 'from' ≤ 'to'", example) }
        return (from...to).map { .number(pow(base, Double($0))) }
    }

    /// Parameter names are `seed` or a block override; seeds are non-negative whole numbers.
    static func check(_ name: String, _ domain: SearchDomain, bad: (String, String) -> SearchError) throws(SearchError) {
        if name == "seed" {
            switch domain {
            case .grid(let values), .choice(let values):
                guard values.allSatisfy({ $0.seed != nil }) else { throw bad("'seed' values must be non-negative whole numbers", "e.g. [0, 1, 2, 3]") }
            case .constant(let value):
                guard value.seed != nil else { throw bad("'seed' must be a non-negative whole number", "e.g. 0") }
            case .uniform, .logUniform:
                throw bad("'seed' cannot be drawn from a real range", "list the seeds, e.g. {\"choice\": [0, 1, 2, 3]}")
            }
            return
        }
        do {
            _ = try LayerOverride.parse(name + "=1")
        } catch {
            throw bad("parameter '\(name)': \(error)", "name 'seed' or a block setting such as b0.radius")
        }
    }

    /// Trials of one pass over the grid (sampled parameters do not multiply it); nil beyond
    /// `Int.max`.
    public var gridSize: Int? {
        var count = 1
        for case .grid(let values) in parameters.map(\.domain) {
            let (product, overflow) = count.multipliedReportingOverflow(by: values.count)
            if overflow { return nil }
            count = product
        }
        return count
    }
}
