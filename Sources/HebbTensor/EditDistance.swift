/// "Did you mean …?" suggestions for mistyped commands, options and keys.
public enum EditDistance {
    /// Levenshtein distance (insertions, deletions, substitutions) between two strings, counted
    /// in `Character`s and compared case-sensitively; callers lowercase first if they want to.
    public static func levenshtein(_ a: String, _ b: String) -> Int {
        let source = Array(a)
        let target = Array(b)
        if source.isEmpty { return target.count }
        if target.isEmpty { return source.count }
        var previous = Array(0...target.count)
        var current = [Int](repeating: 0, count: target.count + 1)
        for i in 1...source.count {
            current[0] = i
            for j in 1...target.count {
                let substitution = previous[j - 1] + (source[i - 1] == target[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[target.count]
    }

    /// The candidate nearest to `word` (case-insensitive), or nil when none is within
    /// `maxDistance` edits (default `max(2, word.count / 3)`). Ties go to the earlier candidate.
    public static func closest(
        to word: String, among candidates: [String], maxDistance: Int? = nil
    ) -> String? {
        let limit = maxDistance ?? max(2, word.count / 3)
        let needle = word.lowercased()
        let needleLength = needle.count
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            // The distance is at least the length difference: skip hopeless candidates cheaply
            // (a long mistyped string would otherwise cost a full table per candidate).
            let lowered = candidate.lowercased()
            guard abs(lowered.count - needleLength) <= limit else { continue }
            let distance = levenshtein(needle, lowered)
            if distance <= limit && distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }
}
