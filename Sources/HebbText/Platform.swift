// The platform every hebb module builds on, imported once here: FoundationEssentials (not
// Foundation, so a static binary carries no ICU; see scripts/build-gpu-binary.sh) and the C
// library (math, file descriptors). Modules write `import HebbText` instead of repeating the
// conditional imports.
#if canImport(FoundationEssentials)
@_exported import FoundationEssentials
#else
@_exported import Foundation
#endif
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Darwin)
@_exported import Darwin
#endif
