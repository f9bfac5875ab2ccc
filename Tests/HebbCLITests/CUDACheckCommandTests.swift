import XCTest

@testable import HebbCLI

/// `hebb cuda-check --device cpu` runs every parity problem (Hebbian epochs, the classifier, the
/// frozen-block forward) through the device code on the CPU backend (what CI can check;
/// scripts/gpu-check.sh runs it with CUDA).
final class CUDACheckCommandTests: XCTestCase {
    func testCPUBackendPassesEveryParityProblemIncludingTheClassifierAndTheFrozenForward() {
        var (out, err): ([String], [String]) = ([], [])
        let code = CLI.run(arguments: ["cuda-check", "--device", "cpu", "--samples", "200"], environment: [:], stdout: { out.append($0) }, stderr: { err.append($0) })
        XCTAssertEqual(code, 0, "\(out) \(err)")
        XCTAssertEqual(out.first, "backend: cpu")
        XCTAssertEqual(out.dropFirst().map { String($0.prefix(while: { $0 != ":" })) }, [
            "PASS SoftHebb softkrotov", "PASS Krotov-Hopfield p=3 k=7", "PASS SoftHebb soft conv 3x32x32 c96 k5",
            "PASS SoftHebb softkrotov conv 3x12x12 c16 k3", "PASS Krotov-Hopfield conv p=3 k=2 3x12x12 c16 k3",
            "PASS classifier dropout 0.5 + Adam (2 epochs)", "PASS frozen forward 4SoftHebbCnnCIFAR blocks 0-2 (4 images)",
        ])
        XCTAssertTrue(out.dropLast().last?.contains("logged losses/accuracies differ by ≤ 0,") ?? false, out.dropLast().last ?? "")
        XCTAssertTrue(out.last?.contains("relative feature error 0 (≤ 1e-04) over 24576 features per image") ?? false, out.last ?? "")
    }
}
