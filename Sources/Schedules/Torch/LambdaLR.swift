import JSON

/// The shared part of the schedulers driven by an `lr_lambda` expression.
class LambdaScheduler: LRScheduler {
    let lambda: LambdaExpression
    let lambdaPointer: JSONPointer

    init(group: ParamGroup, pointer: JSONPointer, lambda: LambdaExpression) throws {
        self.lambda = lambda
        self.lambdaPointer = pointer.appending("lr_lambda")
        super.init(group: group, pointer: pointer)
        try initialStep()
    }
}

/// `torch.optim.lr_scheduler.LambdaLR`: `lr = base_lr * lr_lambda(last_epoch)`.
///
/// `lr_lambda` is a Python expression in the epoch (see `LambdaExpression`). Already a closed
/// form, so torch defines no separate `_get_closed_form_lr`. With `0.95 ** epoch` and base 1:
/// epoch 0 → 1.0, 1 → 0.95, 2 → 0.9025.
final class LambdaLR: LambdaScheduler {
    override func getLR() throws -> Double {
        try multiply(baseLR, by: lambda, at: lastEpoch, pointer: lambdaPointer)
    }
}

/// `torch.optim.lr_scheduler.MultiplicativeLR`: `lr = lr * lr_lambda(last_epoch)`, except at the
/// constructor's initial step, where the LR is left unchanged (`lr_lambda(0)` is never used on a
/// fresh run). No closed form: a `SequentialLR` restart multiplies the current LR by `lr_lambda(0)`.
final class MultiplicativeLR: LambdaScheduler {
    override func getLR() throws -> Double {
        if isInitial { return unchanged }
        return try multiply(group.lr, by: lambda, at: lastEpoch, pointer: lambdaPointer)
    }
}

/// `x * lr_lambda(epoch)` with Python's float × (int | float) semantics; expression errors become
/// schedule errors at `pointer`.
@inline(__always)
func multiply(_ x: Double, by lambda: LambdaExpression, at epoch: Int, pointer: JSONPointer)
    throws -> Double
{
    do throws(ExpressionError) {
        switch try lambda.evaluate(epoch) {
        case .int(let i): return x * Double(i)
        case .float(let f): return x * f
        }
    } catch {
        throw ScheduleError.evaluationFailed(
            FieldIssue(pointer, "\(error.message) (column \(error.column))"),
            epoch: epoch)
    }
}
