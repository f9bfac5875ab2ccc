import Foundation
import XCTest

@testable import HebbExperiment

final class SearchSpaceTests: XCTestCase {
    private func space(_ json: String) throws -> SearchSpace {
        try SearchSpace(json: Data(json.utf8), name: "test", source: "test.json")
    }

    private func spaceError(_ json: String) -> String {
        do {
            _ = try space(json)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    // MARK: - Built-in spaces (SoftHebb's ray_search configs)

    func testBuiltinSpaces_haveSoftHebbTrialCounts() throws {
        let counts = try ["seed", "one_seed", "radius", "regimes"].map { try SearchSpace.builtin($0).trials(samples: 1, seed: 0).count }
        XCTAssertEqual(counts, [4, 1, 81, 600])
    }

    func testSeed_isUnsupervisedSeedsZeroToThree() throws {
        let trials = try SearchSpace.builtin("seed").trials(samples: 1, seed: 0)
        XCTAssertEqual(trials.map { $0.value("seed")?.seed }, [0, 1, 2, 3])
        XCTAssertEqual(trials.map(\.index), [0, 1, 2, 3])
    }

    func testRadius_isGeometricFrom0_107To35_53TimesThreeSeeds() throws {
        let trials = try SearchSpace.builtin("radius").trials(samples: 1, seed: 0)
        let radii = trials.compactMap { $0.value("b0.radius")?.number }
        XCTAssertEqual(radii.count, 81)
        XCTAssertEqual(radii.first!, pow(1.25, -10), accuracy: 1e-12)
        XCTAssertEqual(radii.last!, pow(1.25, 16), accuracy: 1e-9)
        XCTAssertEqual(Set(radii).count, 27)
        // Seed varies fastest: the first three trials share the radius.
        XCTAssertEqual(trials.prefix(3).map { $0.value("seed")?.seed }, [0, 1, 2])
        XCTAssertEqual(Set(radii.prefix(3)).count, 1)
        XCTAssertEqual("\(trials[0].value("b0.radius")!)", "0.107374184")
    }

    func testRegimes_crossesSoftnessTemperatureAndSeedOnBlocksB0B1B2() throws {
        let space = try SearchSpace.builtin("regimes")
        XCTAssertEqual(space.parameters.map(\.name), ["b0,b1,b2.softness", "b0,b1,b2.t_invert", "seed"])
        let trials = try space.trials(samples: 1, seed: 0)
        XCTAssertEqual(Set(trials.compactMap { $0.value("b0,b1,b2.softness").map(\.description) }), ["soft", "softkrotov"])
        let temperatures = Set(trials.compactMap { $0.value("b0,b1,b2.t_invert")?.number })
        XCTAssertEqual(temperatures.count, 100)
        XCTAssertEqual(temperatures.min()!, pow(1.25, -50), accuracy: 1e-15)
        XCTAssertEqual(temperatures.max()!, pow(1.25, 49), accuracy: 1e-6)
    }

    func testBuiltinSpaces_matchTheShippedJSONFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("presets/search")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertEqual(files.map { String($0.dropLast(5)) }, SearchSpace.builtinNames)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            XCTAssertEqual(
                BuiltinSearchSpaces.json[String(file.dropLast(5))].map { $0 + "\n" }, text,
                "\(file) differs from its embedded copy; run scripts/embed-presets.sh")
            XCTAssertEqual(try SearchSpace.load(folder.appendingPathComponent(file).path).parameters, try SearchSpace.builtin(String(file.dropLast(5))).parameters)
        }
    }

    func testUnknownBuiltinName_isAnErrorWithSuggestion() {
        XCTAssertThrowsError(try SearchSpace.load("seeds")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("unknown search space 'seeds'"), text)
            XCTAssertTrue(text.contains("did you mean 'seed'?"), text)
        }
        // SoftHebb's README names `1`, `2`, `3a`: hebb refuses them instead of running the seed grid.
        XCTAssertThrowsError(try SearchSpace.load("3a"))
    }

    // MARK: - Grid and random expansion

    func testGridTimesSamples_repeatsTheGrid() throws {
        let space = try space(#"{"parameters": {"seed": [0, 1], "b0.t": [0.5, 1, 2]}}"#)
        XCTAssertEqual(space.gridSize, 6)
        let trials = try space.trials(samples: 2, seed: 0)
        XCTAssertEqual(trials.count, 12)
        XCTAssertEqual(trials[0].assignments, trials[6].assignments)
        XCTAssertEqual(trials.prefix(2).map { "\($0.value("seed")!)" }, ["0", "1"])
    }

    func testRandomSampling_isDeterministicPerSeedAndInBounds() throws {
        let json = #"""
            {"parameters": {"b0.lr": {"log_uniform": [0.001, 0.1]}, "b0.t": {"uniform": [0.5, 2]},
             "b0.kind": {"choice": ["soft", "softkrotov", "hard"]}, "b1.ls": 0.01, "seed": [0, 1]}}
            """#
        let space = try space(json)
        let first = try space.trials(samples: 50, seed: 7)
        XCTAssertEqual(first.count, 100)
        XCTAssertEqual(first, try space.trials(samples: 50, seed: 7))
        XCTAssertNotEqual(first, try space.trials(samples: 50, seed: 8))
        let rates = first.compactMap { $0.value("b0.lr")?.number }
        let temperatures = first.compactMap { $0.value("b0.t")?.number }
        XCTAssertTrue(rates.allSatisfy { $0 >= 0.001 && $0 < 0.1 }, "\(rates)")
        XCTAssertTrue(temperatures.allSatisfy { $0 >= 0.5 && $0 < 2 }, "\(temperatures)")
        // Log-uniform: about half the draws below the geometric mean 0.01.
        let below = rates.filter { $0 < 0.01 }.count
        XCTAssertTrue((30...70).contains(below), "\(below) of 100 below 0.01")
        XCTAssertEqual(Set(first.compactMap { $0.value("b0.kind")?.description }), ["soft", "softkrotov", "hard"])
        XCTAssertTrue(first.allSatisfy { $0.value("b1.ls") == .number(0.01) })
        XCTAssertEqual(Set(rates).count, 100, "every trial draws afresh")
    }

    func testJSONErrors_nameTheProblem() {
        let cases: [(String, String)] = [
            ("not json", "not valid JSON"),
            (#"[1, 2]"#, "expected an object"),
            (#"{"parameters": {}}"#, "non-empty object"),
            (#"{"parameters": {"seed": [0]}, "extra": 1}"#, "unknown key 'extra'"),
            (#"{"parameters": {"b0.t": {"unifrom": [0, 1]}}}"#, "did you mean 'uniform'?"),
            (#"{"parameters": {"b0.t": {"uniform": [2, 1]}}}"#, "low < high"),
            (#"{"parameters": {"b0.lr": {"log_uniform": [0, 1]}}}"#, "positive low bound"),
            (#"{"parameters": {"b0.t": []}}"#, "non-empty list"),
            (#"{"parameters": {"seed": [0, 1.5]}}"#, "non-negative whole numbers"),
            (#"{"parameters": {"seed": {"uniform": [0, 3]}}}"#, "cannot be drawn from a real range"),
            (#"{"parameters": {"b0.zz": [1]}}"#, "unknown key 'zz'"),
            (#"{"parameters": {"radius": [1]}}"#, "not BLOCK.KEY=VALUE"),
            (#"{"parameters": {"b0.r": {"geometric": {"base": 1.25, "from": 3, "to": 1}}}}"#, "geometric needs"),
        ]
        for (json, fragment) in cases {
            let text = spaceError(json)
            XCTAssertTrue(text.hasPrefix("bad search space test.json: "), "\(json): \(text)")
            XCTAssertTrue(text.contains(fragment), "\(json): '\(fragment)' not in \(text)")
            XCTAssertFalse(text.contains("\n"), text)
        }
    }

    func testTooManyTrials_isRefused() throws {
        let space = try space(#"{"parameters": {"b0.t": {"geometric": {"base": 2, "from": 0, "to": 999}}, "b0.r": {"geometric": {"base": 2, "from": 0, "to": 999}}}}"#)
        XCTAssertThrowsError(try space.trials(samples: 1, seed: 0)) { XCTAssertTrue("\($0)".contains("more than 100000 trials"), "\($0)") }
        XCTAssertThrowsError(try space.trials(samples: 0, seed: 0)) { XCTAssertTrue("\($0)".contains("--num-samples"), "\($0)") }
    }

    func testValueRendering_readsBackAsTheSameFloat() {
        XCTAssertEqual(SearchValue.number(3).description, "3")
        XCTAssertEqual(SearchValue.integer(12).description, "12")
        for x in [pow(1.25, -50), 0.045, 1.0 / 3.0, 56051.9375] {
            XCTAssertEqual(Float(SearchValue.number(x).description), Float(x))
        }
    }
}
