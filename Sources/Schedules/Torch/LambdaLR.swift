import JSON

/// The shared part of the schedulers driven by an `lr_lambda` expression.
class LambdaScheduler: LRScheduler {
    let lambda: LambdaExpression
    /// Where the expression is below `params` (`lr_lambda`, or `lr_lambda/i` in a per-group list).
    let lambdaPath: [String]

    init(group: ParamGroup, lambda: LambdaExpression, lambdaPath: [String]) throws {
        self.lambda = lambda
        self.lambdaPath = lambdaPath
        super.init(group: group)
        try initialStep()
    }
}

/// `torch.optim.lr_scheduler.LambdaLR`: `lr = base_lr * lr_lambda(last_epoch)`.
///
/// `lr_lambda` is a Python expression in the epoch (see `LambdaExpression`), or a list of them,
/// one per parameter group. Already a closed form, so torch defines no separate
/// `_get_closed_form_lr`. With `0.95 ** epoch` and base 1: epoch 0 → 1.0, 1 → 0.95, 2 → 0.9025.
final class LambdaLR: LambdaScheduler {
    override func getLR() throws -> Double {
        try multiply(baseLR, by: lambda, at: lastEpoch, path: lambdaPath)
    }

    /// `LambdaLR(optimizer, lr_lambda)`.
    struct Definition: TorchScheduler {
        static let name = "LambdaLR"
        static let summary = "base_lr × lr_lambda(epoch), for a Python expression in `epoch`"
        static let parameters = [LambdaExpressions.parameter]
        let lambdas: LambdaExpressions

        init?(decoding params: inout ParamsReader) {
            guard let lambdas = LambdaExpressions(&params) else { return nil }
            self.lambdas = lambdas
        }

        var costPerEpoch: Int { 1 + lambdas.cost }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            let (lambda, path) = lambdas[index]
            do { return try LambdaLR(group: group, lambda: lambda, lambdaPath: path) } catch {
                throw ScheduleFault(torch: error)
            }
        }
    }
}

/// `lr_lambda`: one expression for every group, or a list with one per group (torch checks the
/// list's length against the optimizer's groups).
struct LambdaExpressions: Sendable {
    static let parameter = Parameter(
        "lr_lambda",
        type: "string | list[string]",
        default: .required,
        constraint: "a Python expression in `epoch`, e.g. \"0.95 ** epoch\" (or a list of them, one per group)",
        meaning: "the factor applied to the base LR (LambdaLR) or to the current LR (MultiplicativeLR) at each epoch"
    )

    let expressions: [LambdaExpression]

    init?(_ params: inout ParamsReader) {
        let key = Self.parameter.name
        guard let value = params.raw(key) else {
            params.record(key, "is required: a Python expression in `epoch`, e.g. \"0.95 ** epoch\"")
            return nil
        }
        let items: [(JSONValue, JSONPointer)]
        if case .array(let list) = value {
            guard list.count == params.groups else {
                params.record(
                    key,
                    "must be one expression, or a list of \(params.groups) (one per parameter group), got \(value.shortDescription)"
                )
                return nil
            }
            items = list.enumerated().map { ($1, params.pointer.appending(key).appending($0)) }
        } else {
            items = [(value, params.pointer.appending(key))]
        }
        var expressions: [LambdaExpression] = []
        for (item, pointer) in items {
            guard case .string(let source) = item else {
                params.record(
                    FieldIssue(
                        pointer,
                        "must be a string holding a Python expression in `epoch`, got \(item.shortDescription)"
                    )
                )
                continue
            }
            do {
                expressions.append(try LambdaExpression(parsing: source))
            } catch {
                params.record(FieldIssue(pointer, "column \(error.column): \(error.message)"))
            }
        }
        guard expressions.count == items.count else { return nil }
        self.expressions = expressions
    }

    /// The expression of group `index` and where it is below `params`.
    subscript(index: Int) -> (LambdaExpression, [String]) {
        expressions.count == 1
            ? (expressions[0], ["lr_lambda"])
            : (expressions[index], ["lr_lambda", String(index)])
    }

    /// The work of one evaluation of the costliest expression.
    var cost: Int { expressions.map(\.cost).max() ?? 1 }
}
