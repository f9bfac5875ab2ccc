import XCTest

@testable import HebbExperiment

final class LayerStringTests: XCTestCase {
    private let mlp = LayerConfig.defaults(for: .mlp)
    private let cnn = LayerConfig.defaults(for: .cnn)

    /// The `ConfigError` description `body` throws, or a failure.
    private func errorText(
        _ string: String, over base: LayerConfig? = nil, file: StaticString = #filePath, line: UInt = #line
    ) -> String {
        do {
            let config = try LayerString.parse(string, over: base ?? mlp)
            XCTFail("'\(string)' parsed to \(config)", file: file, line: line)
            return ""
        } catch {
            let text = "\(error)"
            XCTAssertFalse(text.contains("\n"), "not one line: \(text)", file: file, line: line)
            XCTAssertTrue(text.contains("'\(string)'"), "does not name the string: \(text)", file: file, line: line)
            return text
        }
    }

    // MARK: - Defaults

    func testDefaults_mlp_matchSoftHebbSpec() {
        XCTAssertEqual(mlp.arch, .mlp)
        XCTAssertEqual(mlp.kind, .soft)
        XCTAssertNil(mlp.outChannels)
        XCTAssertEqual(mlp.learningRate, 0.05)
        XCTAssertEqual(mlp.inverseTemperature, 10)
        XCTAssertEqual(mlp.powerLearningRate, 0.2)
        XCTAssertEqual(mlp.radius, 10)
        XCTAssertEqual(mlp.antiHebbianStrength, 0.1)
        XCTAssertEqual(mlp.lebesguePower, 2)
        XCTAssertEqual(mlp.supervisedLearningRate, 0.001)
        XCTAssertTrue(mlp.adaptive)
        XCTAssertFalse(mlp.addBias)
        XCTAssertEqual(mlp.initialisation, .automatic)
    }

    func testDefaults_cnn_matchSoftHebbSpec() {
        XCTAssertEqual(cnn.arch, .cnn)
        XCTAssertEqual(cnn.kind, .softKrotov)
        XCTAssertEqual(cnn.learningRate, 0.009)
        XCTAssertEqual(cnn.inverseTemperature, 96)
        XCTAssertEqual(cnn.powerLearningRate, 0.75)
        XCTAssertEqual(cnn.radius, 25)
        XCTAssertEqual(cnn.antiHebbianStrength, 2)
        XCTAssertEqual(cnn.kernelSize, 1)
        XCTAssertEqual(cnn.padding, 0)
        XCTAssertEqual(cnn.stride, 1)
        XCTAssertEqual(cnn.dilation, 1)
        XCTAssertEqual(cnn.groups, 1)
    }

    // MARK: - Tokens

    func testParse_everyMlpToken_setsItsField() throws {
        let config = try LayerString.parse("hardkrotov-c300-lr0.02-ls0.003-lb3-lp0.4-t7-b0-a0.4-rank5-r12.5-v0", over: mlp)
        XCTAssertEqual(config.kind, .hardKrotov)
        XCTAssertEqual(config.outChannels, 300)
        XCTAssertEqual(config.learningRate, 0.02)
        XCTAssertEqual(config.supervisedLearningRate, 0.003)
        XCTAssertEqual(config.lebesguePower, 3)
        XCTAssertEqual(config.powerLearningRate, 0.4)
        XCTAssertEqual(config.inverseTemperature, 7)
        XCTAssertFalse(config.addBias)
        XCTAssertEqual(config.antiHebbianStrength, 0.4)
        XCTAssertEqual(config.rankingK, 5)
        XCTAssertEqual(config.radius, 12.5)
        XCTAssertFalse(config.adaptive)
        XCTAssertEqual(try LayerString.parse("BP-c10-b1-v1", over: mlp).addBias, true)
    }

    func testParse_everyCnnToken_setsItsField() throws {
        let config = try LayerString.parse("softkrotov-c96-k5-p2-s1-d1-b0-t1-lr0.08-lp0.5-e0", over: cnn)
        XCTAssertEqual(config.kind, .softKrotov)
        XCTAssertEqual(config.outChannels, 96)
        XCTAssertEqual(config.kernelSize, 5)
        XCTAssertEqual(config.padding, 2)
        XCTAssertEqual(config.stride, 1)
        XCTAssertEqual(config.dilation, 1)
        XCTAssertFalse(config.addBias)
        XCTAssertEqual(config.inverseTemperature, 1)
        XCTAssertEqual(config.learningRate, 0.08)
        XCTAssertEqual(config.powerLearningRate, 0.5)
        XCTAssertFalse(config.preTriangle)
        let other = try LayerString.parse("soft-c8-k3-s2-d2-g4-m0.3-e1", over: cnn)
        XCTAssertEqual([other.kernelSize, other.stride, other.dilation, other.groups], [3, 2, 2, 4])
        XCTAssertEqual(other.maskThreshold, 0.3)
        XCTAssertTrue(other.preTriangle)
        let centred = try LayerString.parse("hardkrotov-c400-k5-center1", over: cnn)
        XCTAssertEqual(centred.centeredPatches, true, "'center' is longer than 'c', so it wins")
        XCTAssertEqual(centred.outChannels, 400)
        XCTAssertEqual(try LayerString.parse("hardkrotov-c4-k5", over: cnn).centeredPatches, nil)
        XCTAssertTrue(LayerString.render(centred).contains("-center1"), LayerString.render(centred))
        XCTAssertThrowsError(try LayerString.parse("hardkrotov-c4-k5-center2", over: cnn))
    }

    func testParse_prefixes_areCaseInsensitive() throws {
        XCTAssertEqual(try LayerString.parse("Soft-c5", over: mlp).kind, .soft)
        XCTAssertEqual(try LayerString.parse("soft-c5", over: mlp).kind, .soft)
        XCTAssertEqual(try LayerString.parse("SoftKrotov-c5", over: mlp).kind, .softKrotov)
        XCTAssertEqual(try LayerString.parse("HardKrotov-c5", over: mlp).kind, .hardKrotov)
        XCTAssertEqual(try LayerString.parse("hard-c5", over: mlp).kind, .hard)
        XCTAssertEqual(try LayerString.parse("BP-c10", over: mlp).kind, .backprop)
        XCTAssertEqual(try LayerString.parse("bp-c10", over: mlp).kind, .backprop)
        XCTAssertEqual(try LayerString.parse("supervisedSoftKrotov-c10", over: mlp).kind, .supervisedSoftKrotov)
    }

    func testParse_longestKeyWins_lpLrRankDoNotCollideWithPOrR() throws {
        let config = try LayerString.parse("soft-c4-k3-lp0.5-p1-rank4-r7-lr0.3", over: cnn)
        XCTAssertEqual(config.powerLearningRate, 0.5)
        XCTAssertEqual(config.padding, 1)
        XCTAssertEqual(config.rankingK, 4)
        XCTAssertEqual(config.radius, 7)
        XCTAssertEqual(config.learningRate, 0.3)
        let mlpConfig = try LayerString.parse("soft-lp0.9", over: mlp)
        XCTAssertEqual(mlpConfig.powerLearningRate, 0.9)
        XCTAssertEqual(mlpConfig.padding, 0)
    }

    func testParse_cnnOnlyTokensOnMlp_areIgnored() throws {
        let config = try LayerString.parse("soft-c100-k5-p2-s2-d3-g2-m0.5-e1-t3", over: mlp)
        XCTAssertEqual(config.outChannels, 100)
        XCTAssertEqual(config.inverseTemperature, 3)
        var expected = mlp
        expected.outChannels = 100
        expected.inverseTemperature = 3
        XCTAssertEqual(config, expected)
    }

    func testImpliedArchitecture_kernelToken_meansCnn() {
        XCTAssertEqual(LayerString.impliedArchitecture(of: "softkrotov-c96-k5-p2"), .cnn)
        XCTAssertEqual(LayerString.impliedArchitecture(of: "soft-c2000-t12"), .mlp)
        XCTAssertEqual(LayerString.impliedArchitecture(of: "BP-c10"), .mlp)
    }

    // MARK: - Errors

    func testParse_tokenWithoutValue_saysSo() {
        let text = errorText("soft-c-5")
        XCTAssertTrue(text.contains("token 'c' has no value"), text)
        XCTAssertTrue(errorText("soft-t").contains("token 't' has no value"))
        XCTAssertTrue(errorText("soft-k").contains("token 'k' has no value"), "CNN-only key on MLP still needs a value")
    }

    func testParse_unknownToken_isAnError() {
        let text = errorText("soft-x3")
        XCTAssertTrue(text.contains("unknown token 'x3'"), text)
        XCTAssertTrue(text.contains("keys:"), text)
    }

    func testParse_unknownPrefix_suggestsClosest() {
        let text = errorText("sof-c3")
        XCTAssertTrue(text.contains("unknown prefix 'sof'"), text)
        XCTAssertTrue(text.contains("did you mean 'soft'"), text)
        XCTAssertTrue(errorText("zzzzzz-c3").contains("prefixes:"))
    }

    func testParse_badValues_areErrors() {
        for string in ["soft-c0", "soft-c-1x", "soft-cx", "soft-v5", "soft-b2", "soft-lb0.5", "soft-rank1", "soft-r0", "soft-lrfast"] {
            let text = errorText(string)
            XCTAssertTrue(text.contains("bad value") || text.contains("has no value"), text)
        }
        XCTAssertTrue(errorText("soft-c0").contains("token 'c0' has a bad value '0'"))
        XCTAssertTrue(errorText("soft-v5").contains("token 'v5' has a bad value '5'"))
        XCTAssertTrue(errorText("soft-k0", over: cnn).contains("bad value"))
        XCTAssertTrue(errorText("soft-p-1", over: cnn).contains("'p'"))
    }

    // MARK: - Hostile values (found by fuzzing)

    func testParse_nanInfAndFloatOverflow_areRefusedNamingTheToken() {
        for (string, token) in [
            ("soft-c96-lrnan", "lrnan"), ("soft-c96-tinf", "tinf"), ("soft-c96-r1e39", "r1e39"),
            ("hardkrotov-c10-aInfinity", "aInfinity"), ("soft-c96-ls+inf", "ls+inf"), ("soft-c96-lbNaN", "lbNaN"),
        ] {
            let text = errorText(string)
            XCTAssertTrue(text.contains("token '\(token)' has a non-finite value"), text)
            XCTAssertTrue(text.contains("write a finite number"), text)
        }
        XCTAssertTrue(errorText("softkrotov-c96-k5-m-inf", over: cnn).contains("no value"))
        XCTAssertTrue(errorText("softkrotov-c96-k5-minf", over: cnn).contains("non-finite"))
    }

    func testParse_sizesAboveLimit_areRefused() throws {
        XCTAssertEqual(try LayerString.parse("soft-c1048576", over: mlp).outChannels, LayerString.largestSize)
        XCTAssertTrue(errorText("soft-c1048577").contains("token 'c1048577' is larger than 1048576"))
        for string in ["softkrotov-c4611686018427387904-k1", "softkrotov-c96-k5-d4611686018427387904", "soft-c8-k3-p9999999"] {
            XCTAssertTrue(errorText(string, over: cnn).contains("is larger than 1048576"), string)
        }
        XCTAssertTrue(errorText("soft-c9223372036854775808").contains("bad value"), "beyond Int64")
    }

    func testErrors_quotingLineBreaks_stayOnOneLine() {
        for string in ["soft-c9\n6", "soft-c96\r\n-t1", "soft-c96-t1\u{2028}", "so\u{85}ft-c96"] {
            XCTAssertThrowsError(try LayerString.parse(string, over: mlp)) { error in
                let text = "\(error)"
                XCTAssertFalse(text.contains(where: \.isNewline), text)
                XCTAssertTrue(text.contains("\\n") || text.contains("\\u{"), text)
            }
        }
    }

    func testParse_doubledDash_isAnErrorWithHint() {
        let text = errorText("soft--c3")
        XCTAssertTrue(text.contains("unknown token ''"), text)
        XCTAssertTrue(text.contains("remove the doubled '-'"), text)
        XCTAssertTrue(errorText("soft-c3-").contains("doubled"), "trailing dash")
    }

    func testParse_emptyString_isAnError() {
        XCTAssertThrowsError(try LayerString.parse("", over: mlp)) { error in
            XCTAssertTrue("\(error)".contains("empty"), "\(error)")
        }
    }

    // MARK: - Round trip

    func testRenderParse_roundTrip_preservesConfig() throws {
        var strings: [(String, Architecture)] = [
            ("soft-c2000-t12-lr0.045-r35-v1", .mlp),
            ("soft-c2000-t12-lr0.045-r35-v0", .mlp),
            ("hardkrotov-c2000-lb3-rank7-a0.4-lr0.02-v0-r10.78", .mlp),
            ("hard-c50-lp0.3", .mlp),
            ("BP-c10-ls0.01-b1", .mlp),
            ("softkrotov-c96-k5-p2-s1-d1-b0-t1-lr0.08-lp0.5-e0", .cnn),
            ("softkrotov-c384-k3-p1-s1-d1-g2-e1-t0.65-lr0.005-lp0.25", .cnn),
        ]
        strings.append(("Soft-c16-t1-lr0.05", .mlp))
        for (string, arch) in strings {
            let config = try LayerString.parse(string, over: .defaults(for: arch))
            let rendered = LayerString.render(config)
            XCTAssertEqual(try LayerString.parse(rendered, over: .defaults(for: arch)), config, "\(string) → \(rendered)")
            XCTAssertEqual(LayerString.impliedArchitecture(of: rendered), arch, rendered)
        }
    }

    func testRender_bpLayer_isShort() throws {
        var config = try LayerString.parse("BP-c10", over: mlp)
        XCTAssertEqual(LayerString.render(config), "BP-c10-b0-ls0.001")
        config.outChannels = nil
        XCTAssertEqual(LayerString.render(config), "BP-b0-ls0.001")
    }
}
