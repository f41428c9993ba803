#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a pthread mutex (usable on every platform the package builds on).
///
/// Preferred over `Synchronization.Mutex` in this project: ThreadSanitizer understands pthread
/// mutexes, while `Mutex` on Linux waits on a futex that it cannot see, so it reports false races.
public final class Locked<Value>: @unchecked Sendable {
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline var value: Value

    /// A lock around `value`.
    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value (inlinable: callers in other modules get
    /// a version specialized to their value, without generic dispatch).
    @inlinable
    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}

/// Sleeps the calling thread for about `microseconds`.
func sleepMicroseconds(_ microseconds: UInt32) {
    usleep(microseconds)
}
