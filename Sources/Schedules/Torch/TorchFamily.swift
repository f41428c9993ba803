/// PyTorch's `torch.optim.lr_scheduler`: the default family.
enum TorchFamily {
    /// The family and its schedulers, in torch's documentation order.
    static let family = Family(
        name: "torch",
        title: "PyTorch torch.optim.lr_scheduler",
        version: "2.15.0",
        stepping:
            "value k is scheduler.get_last_lr() after start + k calls of step() (step(metrics[i]) for ReduceLROnPlateau)",
        schedulers: [
            LambdaLR.Definition.self, MultiplicativeLR.Definition.self, StepLR.Definition.self,
            MultiStepLR.Definition.self, ConstantLR.Definition.self, LinearLR.Definition.self,
            ExponentialLR.Definition.self, PolynomialLR.Definition.self, CosineAnnealingLR.Definition.self,
            ChainedScheduler.Definition.self, SequentialLR.Definition.self, ReduceLROnPlateau.Definition.self,
            CyclicLR.Definition.self, OneCycleLR.Definition.self, CosineAnnealingWarmRestarts.Definition.self,
        ]
    )

    /// The integers a parameter may hold: ±2^53, so that torch's integer arithmetic on them
    /// (e.g. `2 * T_max`) cannot overflow and every one converts to a float exactly.
    static let integers = -(1 << 53)...(1 << 53)
    /// The most milestones a list may hold.
    static let maxMilestones = 10_000
}

/// A torch scheduler's configuration: builds torch's scheduler object on one parameter group.
///
/// torch computes every group independently (per-group lists give each group its own value), so a
/// schedule over several groups is one scheduler object per group, stepped together.
protocol TorchScheduler: SchedulerDefinition {
    /// Runs the constructor on `group`, the optimizer's group number `index` (initial step included).
    func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler
}

extension TorchScheduler {
    func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
        var schedulers: [LRScheduler] = []
        for (index, lr) in lrs.enumerated() {
            schedulers.append(try build(on: ParamGroup(lr: lr), index: index))
        }
        return TorchSchedule(schedulers)
    }
}

/// A torch scheduler stepping every parameter group: `scheduler.step()`.
final class TorchSchedule: Schedule {
    let schedulers: [LRScheduler]
    /// Group 0's scheduler, read on every step.
    let first: LRScheduler

    init(_ schedulers: [LRScheduler]) {
        self.schedulers = schedulers
        self.first = schedulers[0]
    }

    var groupCount: Int { schedulers.count }

    func lr(group: Int) -> Double { group == 0 ? first.lastLR : schedulers[group].lastLR }

    func momentum(group: Int) -> Double? { schedulers[group].group.momentum }

    func advance(_ count: Int, appendingTo values: inout [Double]) throws(ScheduleFault) -> Int {
        guard schedulers.count == 1 else { return try advanceStepByStep(count, appendingTo: &values) }
        // One scheduler: its own step() in a loop, without this class's per-step dispatch (nor
        // step()'s, when it is the base class's). Two loops, not one testing a flag per step: the
        // test costs about 4 instructions a step.
        let first = first
        if type(of: first).stepsChainably {
            return try appendSteps(count, to: &values) { () throws(ScheduleFault) -> Double in
                do { try first.chainableStep() } catch { throw ScheduleFault(torch: error) }
                return first.lastLR
            }
        }
        return try appendSteps(count, to: &values) { () throws(ScheduleFault) -> Double in
            do { try first.step() } catch { throw ScheduleFault(torch: error) }
            return first.lastLR
        }
    }

    func step(metric: Double?) throws(ScheduleFault) {
        do {
            try first.step()
            if schedulers.count > 1 {
                for i in 1..<schedulers.count { try schedulers[i].step() }
            }
        } catch {
            throw ScheduleFault(torch: error)
        }
    }
}

extension ScheduleFault {
    /// The fault behind an error thrown by torch's scheduler classes (they throw `ScheduleFault`,
    /// or `ExprFault` from CPython arithmetic).
    init(torch error: any Error) {
        switch error {
        case let fault as ScheduleFault: self = fault
        case let fault as ExprFault: self = fault.scheduleFault
        default: self = ScheduleFault("internal error: \(type(of: error))")
        }
    }
}
