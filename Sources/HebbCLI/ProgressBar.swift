import HebbExperiment
import HebbText

/// A progress bar with ETA for `hebb train`: redrawn in place on a terminal (at most 5 times a
/// second), or as an occasional plain line (every 10 % of a phase) when asked for off a terminal.
final class ProgressBar {
    private let write: (String) -> Void
    private let inPlace: Bool
    private var phaseStarted = Date()
    private var lastDrawn = Date.distantPast
    private var current: (phase: Int, epoch: Int)?
    private var lastDecile = -1
    private var drawn = false

    /// Draws through `write`: raw terminal text when `inPlace`, else whole lines.
    init(write: @escaping (String) -> Void, inPlace: Bool) {
        self.write = write
        self.inPlace = inPlace
    }

    /// Shows `progress`; the ETA extrapolates the current phase's rate.
    func show(_ progress: TrainingProgress) {
        let now = Date()
        if current?.phase != progress.phase {
            (phaseStarted, lastDecile) = (now, -1)
        }
        current = (progress.phase, progress.epoch)
        let fraction = progress.phaseFraction
        if inPlace {
            guard now.timeIntervalSince(lastDrawn) >= 0.2 || fraction >= 1 else { return }
            lastDrawn = now
            write("\r" + ProgressBar.line(progress, elapsed: now.timeIntervalSince(phaseStarted)) + "\u{1B}[K")
            drawn = true
        } else {
            let decile = Int(fraction * 10)
            guard decile > lastDecile else { return }
            lastDecile = decile
            write(ProgressBar.line(progress, elapsed: now.timeIntervalSince(phaseStarted)))
        }
    }

    /// Erases an in-place bar before a log line is printed.
    func clear() {
        guard inPlace, drawn else { return }
        write("\r\u{1B}[K")
        drawn = false
    }

    /// `phase 1/2 epoch 3/10 [#####·····]  48 % 1234/2800 ETA 00:01:23`.
    static func line(_ p: TrainingProgress, elapsed: Double) -> String {
        let fraction = p.phaseFraction
        let width = 20
        let filled = min(width, Int(fraction * Double(width)))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        return cFormat("phase %d/%d epoch %d/%d [", p.phase + 1, p.phases, p.epoch, p.epochs) + bar
            + cFormat("] %3d %% %d/%d ETA ", Int(fraction * 100), p.step, p.steps) + clock(eta)
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return cFormat("%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
    }
}
