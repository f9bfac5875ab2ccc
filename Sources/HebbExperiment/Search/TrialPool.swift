import HebbText

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs trials as child processes of the hebb executable, at most `jobs` at a time, each with its
/// output in `<log folder>/<trial>.log`. A plain local pool: for clusters, emit a job file or a
/// Slurm array instead (`JobScripts`).
public struct TrialPool: Sendable {
    /// The hebb executable.
    public var executable: String
    /// Trials running at once.
    public var jobs: Int
    /// Environment of the children.
    public var environment: [String: String]
    /// Folder of the per-trial logs.
    public var logFolder: URL

    /// A pool; the environment is the children's whole environment.
    public init(executable: String, jobs: Int, environment: [String: String], logFolder: URL) {
        self.executable = executable
        self.jobs = jobs
        self.environment = environment
        self.logFolder = logFolder
    }

    /// How one trial ended.
    public struct Outcome: Sendable, Equatable {
        /// Exit status (128 + signal when killed, 127 when it could not start).
        public var status: Int32
        /// Wall time, seconds.
        public var seconds: Double
    }

    /// The log file of a trial: `t003.log` for model name `<folder>/t003`.
    public func logFile(_ trial: PlannedTrial) -> URL {
        logFolder.appendingPathComponent(PathText.lastComponent(trial.modelName) + ".log")
    }

    /// Runs `trials` in order, `jobs` at a time; `started` and `finished` are called on this
    /// thread as trials start and end. Returns the outcome of every trial by index.
    public func run(
        _ trials: [PlannedTrial], started: (PlannedTrial) -> Void, finished: (PlannedTrial, Outcome) -> Void
    ) throws -> [Int: Outcome] {
        try AtomicFile.checkWritable(logFolder)
        var pending = trials[...]
        var running: [(pid: pid_t, trial: PlannedTrial, start: Date)] = []
        var outcomes: [Int: Outcome] = [:]
        while !pending.isEmpty || !running.isEmpty {
            while running.count < max(1, jobs), let trial = pending.popFirst() {
                started(trial)
                if let pid = spawn(trial) {
                    running.append((pid, trial, Date()))
                } else {
                    let outcome = Outcome(status: 127, seconds: 0)
                    outcomes[trial.index] = outcome
                    finished(trial, outcome)
                }
            }
            var reaped = false
            for (position, child) in running.enumerated().reversed() {
                var status: Int32 = 0
                let result = waitpid(child.pid, &status, WNOHANG)
                guard result == child.pid || (result < 0 && errno != EINTR) else { continue }
                running.remove(at: position)
                let outcome = Outcome(status: result < 0 ? 127 : TrialPool.exitStatus(status), seconds: Date().timeIntervalSince(child.start))
                outcomes[child.trial.index] = outcome
                finished(child.trial, outcome)
                reaped = true
            }
            if !reaped && !running.isEmpty { usleep(20_000) }
        }
        return outcomes
    }

    /// The shell's view of a wait status: the exit code, or 128 + the signal that killed it.
    static func exitStatus(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Starts one trial with stdin from /dev/null and stdout and stderr to its log; nil when
    /// the process could not be created.
    private func spawn(_ trial: PlannedTrial) -> pid_t? {
        let arguments = [executable] + trial.arguments
        let variables = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var argv = arguments.map { strdup($0) } + [nil]
        var envp = variables.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile(trial).path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, &argv, &envp)
        return result == 0 ? pid : nil
    }
}
