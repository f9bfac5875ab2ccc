import Foundation
import HebbTensor
import XCTest

/// Asserts equal shapes, then `|a − b| ≤ max(atol, rtol·|b|)` element-wise; reports the worst index.
public func assertClose(
    _ actual: Tensor, _ expected: Tensor, atol: Float = 1e-5, rtol: Float = 1e-5,
    _ message: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(actual.shape, expected.shape, "shape \(message)", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    assertClose(actual.scalars, expected.scalars, atol: atol, rtol: rtol, message, file: file, line: line)
}

/// Element-wise closeness of two float arrays of equal length; reports the worst index.
public func assertClose(
    _ actual: [Float], _ expected: [Float], atol: Float = 1e-5, rtol: Float = 1e-5,
    _ message: String = "", file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(actual.count, expected.count, "count \(message)", file: file, line: line)
    guard actual.count == expected.count else { return }
    var worst = -1
    var worstExcess: Float = 0
    for i in 0..<actual.count {
        let tolerance = max(atol, rtol * abs(expected[i]))
        let error = abs(actual[i] - expected[i])
        if !(error <= tolerance) && (worst < 0 || error - tolerance > worstExcess) {
            worst = i
            worstExcess = error - tolerance
        }
    }
    if worst >= 0 {
        XCTFail(
            "not close at index \(worst): \(actual[worst]) vs \(expected[worst]) "
                + "(atol \(atol), rtol \(rtol)) \(message)", file: file, line: line)
    }
}

/// A fresh empty temporary directory; the caller removes it (test cases use the method below).
public func makeTemporaryDirectory(_ prefix: String = "hebb-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

extension XCTestCase {
    /// A fresh empty temporary directory that is removed when the test ends, pass or fail, so a
    /// test run leaves nothing behind in the temporary folder.
    public func makeTemporaryDirectory(_ prefix: String = "hebb-test") throws -> URL {
        let url = try HebbTestSupport.makeTemporaryDirectory(prefix)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
