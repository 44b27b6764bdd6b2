import BlankettCore
import Foundation

/// The computer's clock: what `serve` and the commands run on. The core
/// never reads it; tests pass a `FixedClock` instead.
public struct SystemClock: WallClock {
    public init() {}

    public func now() -> Date {
        Date()
    }
}
