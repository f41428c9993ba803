/// Why a schedule cannot be built or stepped, in the schedule's own terms: the parameter at fault
/// (a path below the scheduler's `params`, empty for the scheduler as a whole) and what the
/// framework would say. The spec layer, which knows where it decoded the parameters, turns the path
/// into a JSON pointer; the math never sees JSON.
public struct ScheduleFault: Error, Sendable, Equatable {
    /// The parameter at fault, as path components below `params`: `["total_steps"]`, or
    /// `["schedulers", "1", "params", "T_max"]` for a composite's child.
    public var parameter: [String]
    /// What went wrong, e.g. `ZeroDivisionError: float division by zero`.
    public var message: String

    /// A fault of the parameter named `parameter` (nil: the scheduler as a whole).
    public init(_ message: String, parameter: String? = nil) {
        self.message = message
        self.parameter = parameter.map { [$0] } ?? []
    }

    /// The same fault seen from a composite whose `key` list holds the failing child at `index`.
    public func inChild(_ index: Int, of key: String = "schedulers") -> ScheduleFault {
        var fault = self
        fault.parameter = [key, String(index), "params"] + parameter
        return fault
    }
}

extension ExprFault {
    /// The fault as the schedule reports it: CPython's exception text, no parameter.
    var scheduleFault: ScheduleFault { ScheduleFault(message) }
}
