import Foundation
import HebbTestSupport
import XCTest

@testable import HebbExperiment

/// SoftHebb's post-hoc loss procedure (spec §5.5), which crashes in the original (quirk 33).
final class PostHocLossTests: XCTestCase {
    private var fixture: ExperimentFixture!

    override func setUpWithError() throws {
        let fixture = try ExperimentFixture()
        self.fixture = fixture
        addTeardownBlock { fixture.remove() }
    }

    func testQuirk33_postHocLoss_runsAllThreePassesAndWritesPerBatchLosses() throws {
        let root = try fixture.root("post-hoc")
        let request = fixture.request(root)
        var lines: [String] = []
        let result = try PostHocLoss.run(request) { lines.append($0) }
        XCTAssertEqual(result.beforeClassifier.count, 7, "200 training images in batches of 32")
        XCTAssertEqual(result.postHoc.count, result.beforeClassifier.count, "t2 uses the unsupervised epochs and batch size")
        XCTAssertTrue(lines.contains { $0.hasPrefix("Phase t2: blocks [0] on MNIST_10") }, "\(lines)")
        XCTAssertGreaterThan(result.accuracyAfterClassifier, ExperimentFixture.accuracyThreshold)
        // From the initial weights, the trained readout first sees unfamiliar features; the loss
        // falls as the Hebbian layer relearns them.
        XCTAssertLessThan(result.postHoc.last!, result.postHoc.first!)
        XCTAssertGreaterThan(result.accuracyAfterRetraining, ExperimentFixture.accuracyThreshold)
        let csv = try String(contentsOf: fixture.store(root).networkFolder.appendingPathComponent("post_hoc_loss.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n")
        XCTAssertEqual(rows.first, "phase,epoch,step,loss")
        XCTAssertEqual(rows.count, 1 + 2 * result.postHoc.count)
        XCTAssertTrue(rows.contains { $0.hasPrefix("t2,1,1,") })
    }

    func testPostHocLoss_refusesModelsWithoutAHebbianPrefixAndClassifier() throws {
        var request = fixture.request(try fixture.root("post-hoc-bp"))
        request.preset = "BP-c16+BP-c10"
        XCTAssertThrowsError(try PostHocLoss.run(request) { _ in }) { error in
            XCTAssertTrue("\(error)".contains("needs Hebbian blocks followed by one BP classifier"), "\(error)")
        }
    }
}
