import HebbModel
import XCTest

/// SoftHebb's `CustomStepLR`: milestones int(r·E), the rate halving after each milestone epoch.
final class HalvingScheduleTests: XCTestCase {
    private let base: Float = 1e-3

    func testMilestones_underTwentyEpochs_areEmpty() {
        XCTAssertEqual(HalvingSchedule(epochs: 10).milestones, [])
        XCTAssertEqual(HalvingSchedule(epochs: 19).milestones, [])
        XCTAssertEqual(HalvingSchedule(epochs: 1).milestones, [])
    }

    func testRates_tenEpochs_stayAtTheBase() {
        let schedule = HalvingSchedule(epochs: 10)
        for epoch in 1...10 { XCTAssertEqual(schedule.rate(base: base, epoch: epoch), base, "epoch \(epoch)") }
    }

    func testMilestones_twentyEpochs_areHalfAndThreeQuarters() {
        XCTAssertEqual(HalvingSchedule(epochs: 20).milestones, [10, 15])
        XCTAssertEqual(HalvingSchedule(epochs: 49).milestones, [24, 36])
    }

    func testRates_twentyEpochs() {
        let schedule = HalvingSchedule(epochs: 20)
        let rates = (1...20).map { schedule.rate(base: base, epoch: $0) }
        XCTAssertEqual(rates, Array(repeating: 1e-3, count: 10) + Array(repeating: 5e-4, count: 5) + Array(repeating: 2.5e-4, count: 5))
    }

    func testMilestones_fiftyEpochs_areTheSevenFractions() {
        XCTAssertEqual(HalvingSchedule(epochs: 50).milestones, [10, 17, 25, 30, 35, 40, 45])
    }

    func testRates_fiftyEpochs_halveAfterEachMilestone() {
        let schedule = HalvingSchedule(epochs: 50)
        let spans: [(ClosedRange<Int>, Float)] = [
            (1...10, 1e-3), (11...17, 5e-4), (18...25, 2.5e-4), (26...30, 1.25e-4), (31...35, 6.25e-5),
            (36...40, 3.125e-5), (41...45, 1.5625e-5), (46...50, 7.8125e-6),
        ]
        for (epochs, rate) in spans {
            for epoch in epochs {
                XCTAssertEqual(schedule.rate(base: base, epoch: epoch), rate, accuracy: rate * 1e-6, "epoch \(epoch)")
            }
        }
    }

    func testMilestones_hundredEpochs() {
        XCTAssertEqual(HalvingSchedule(epochs: 100).milestones, [20, 35, 50, 60, 70, 80, 90])
        let schedule = HalvingSchedule(epochs: 100)
        XCTAssertEqual(schedule.rate(base: base, epoch: 20), 1e-3)
        XCTAssertEqual(schedule.rate(base: base, epoch: 21), 5e-4)
        XCTAssertEqual(schedule.rate(base: base, epoch: 100), 1e-3 / 128, accuracy: 1e-12)
    }

    func testMilestones_ninetyEpochs_truncateTheDoubleProductLikePythonInt() {
        // Python's int(90 * 0.7) is 62 because 90·0.7 = 62.99999999999999 in binary floating point;
        // SoftHebb's CustomStepLR computes exactly that, so parity means 62, not ⌊63⌋.
        XCTAssertEqual(HalvingSchedule(epochs: 90).milestones, [18, 31, 45, 54, 62, 72, 81])
    }

    func testRates_areNonIncreasingAndBaseLinear() {
        for epochs in [10, 20, 37, 50, 100, 200] {
            let schedule = HalvingSchedule(epochs: epochs)
            let rates = (1...epochs).map { schedule.rate(base: base, epoch: $0) }
            XCTAssertEqual(rates.first, base)
            XCTAssertTrue(zip(rates, rates.dropFirst()).allSatisfy { $0 >= $1 }, "E = \(epochs)")
            XCTAssertEqual(schedule.rate(base: 2 * base, epoch: epochs), 2 * rates.last!, "E = \(epochs)")
        }
    }
}
