/// `torch.optim.lr_scheduler.MultiplicativeLR`: `lr = lr * lr_lambda(last_epoch)`, except at the
/// constructor's initial step, where the LR is left unchanged (`lr_lambda(0)` is never used on a
/// fresh run). No closed form: a `SequentialLR` restart multiplies the current LR by `lr_lambda(0)`.
final class MultiplicativeLR: LambdaScheduler {
    override func getLR() throws -> Double {
        if isInitial { return unchanged }
        return try multiply(group.lr, by: lambda, at: lastEpoch, path: lambdaPath)
    }

    /// `MultiplicativeLR(optimizer, lr_lambda)`.
    struct Definition: TorchScheduler {
        static let name = "MultiplicativeLR"
        static let summary = "lr × lr_lambda(epoch) at every step after the first"
        static let parameters = [LambdaExpressions.parameter]
        let lambdas: LambdaExpressions

        init?(decoding params: inout ParamsReader) {
            guard let lambdas = LambdaExpressions(&params) else { return nil }
            self.lambdas = lambdas
        }

        var costPerEpoch: Int { 1 + lambdas.cost }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            let (lambda, path) = lambdas[index]
            do { return try MultiplicativeLR(group: group, lambda: lambda, lambdaPath: path) } catch {
                throw ScheduleFault(torch: error)
            }
        }
    }
}

/// `x * lr_lambda(epoch)` with Python's float × (int | float) semantics; expression errors become
/// faults of the expression at `path`.
@inline(__always)
func multiply(_ x: Double, by lambda: LambdaExpression, at epoch: Int, path: [String]) throws -> Double {
    do throws(ExpressionError) {
        switch try lambda.evaluate(epoch) {
        case .int(let i): return x * Double(i)
        case .float(let f): return x * f
        }
    } catch {
        var fault = ScheduleFault("\(error.message) (column \(error.column))")
        fault.parameter = path
        throw fault
    }
}

extension LambdaExpression {
    /// A bound on the work of one evaluation: every operation takes at least two characters
    /// of source, so half the length bounds the number of operations.
    var cost: Int { source.utf8.count / 2 + 1 }
}
