import CBLAS
import Synchronization

/// Double-precision matrix products through OpenBLAS (`cblas_dgemm`), which picks the kernel for
/// the machine's CPU (AVX2 and FMA where present) at run time.
///
/// Products run on the calling thread: a training run already has a thread of its own, and
/// BLAS worker threads would spin against the server's. lrsched builds against Debian's serial
/// OpenBLAS, which has no threads, and whose buffers are not safe for two calls at once: one lock
/// admits one product at a time (concurrent training runs take turns for their products). Where
/// the pthread build is the system's choice instead, `openblas_set_num_threads(1)` keeps the
/// products on the caller's thread (its idle pool still spins for a moment at process start).
enum BLAS {
    /// One product at a time (the serial build's buffers are shared). Made before the first
    /// product, which is when BLAS is told to keep to the caller's thread.
    private static let exclusive: Mutex<Void> = {
        openblas_set_num_threads(1)
        return Mutex(())
    }()

    /// `C = α · op(A) · op(B) + β · C` for row-major `A` (`m × k`, or `k × m` when `transposeA`),
    /// `B` (`k × n`, or `n × k` when `transposeB`) and `C` (`m × n`), each densely packed.
    static func multiply(
        _ a: UnsafePointer<Double>,
        transposeA: Bool = false,
        _ b: UnsafePointer<Double>,
        transposeB: Bool = false,
        into c: UnsafeMutablePointer<Double>,
        m: Int,
        n: Int,
        k: Int,
        alpha: Double = 1,
        beta: Double = 0
    ) {
        exclusive.withLock { _ in
            cblas_dgemm(
                CblasRowMajor,
                transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans,
                blasint(m),
                blasint(n),
                blasint(k),
                alpha,
                a,
                blasint(transposeA ? m : k),
                b,
                blasint(transposeB ? k : n),
                beta,
                c,
                blasint(n)
            )
        }
    }
}
