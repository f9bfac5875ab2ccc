import HebbText

/// Shell text for a plan's trials: one command line each, a GNU parallel job file, a Slurm array
/// script. No scheduler of our own: these hand the trials to tools that have one.
public enum JobScripts {
    /// `argument` quoted for a POSIX shell when it needs it (`'…'`, with `'` written `'\''`).
    public static func quote(_ argument: String) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/+=:,@%-")
        if !argument.isEmpty && argument.allSatisfy(plain.contains) { return argument }
        return "'" + argument.replacing("'", with: "'\\''") + "'"
    }

    /// The trial's command line: `hebb train …` with `executable` as the program.
    public static func commandLine(_ trial: PlannedTrial, executable: String) -> String {
        ([executable] + trial.arguments).map(quote).joined(separator: " ")
    }

    /// One command per line: `parallel --jobs 2 < jobs.txt` runs them.
    public static func parallelJobs(_ plan: SearchPlan, executable: String) -> String {
        plan.trials.map { commandLine($0, executable: executable) + "\n" }.joined()
    }

    /// An sbatch script with `#SBATCH --array=0-(N-1)` whose task `i` runs trial `i` (and only
    /// it); `extraOptions` become further `#SBATCH` lines (`--gres=gpu:1`, `--time=2:00:00`).
    public static func slurmScript(_ plan: SearchPlan, executable: String, logFolder: URL, extraOptions: [String]) -> String {
        var lines = [
            "#!/bin/bash",
            "# hebb search '\(plan.folderName)': \(plan.trials.count) trials of space '\(plan.space)'. Submit with: sbatch THIS_FILE",
            "#SBATCH --job-name=\(plan.folderName)",
            "#SBATCH --array=0-\(plan.trials.count - 1)",
            "#SBATCH --cpus-per-task=4",
            "#SBATCH --output=\(logFolder.path)/slurm-%A_%a.out",
        ]
        lines += extraOptions.map { "#SBATCH \($0)" }
        lines += [
            "set -euo pipefail",
            "case \"${SLURM_ARRAY_TASK_ID:?submit this script with sbatch, which sets SLURM_ARRAY_TASK_ID}\" in",
        ]
        for trial in plan.trials {
            lines.append("  \(trial.index)) exec \(commandLine(trial, executable: executable)) ;;")
        }
        lines += [
            "  *) echo \"no trial for SLURM_ARRAY_TASK_ID=$SLURM_ARRAY_TASK_ID (0-\(plan.trials.count - 1))\" >&2; exit 64 ;;",
            "esac",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
