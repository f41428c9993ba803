import JSON

extension MMEngine {
    /// A whole `param_scheduler` list under MMEngine's Runner and its `ParamSchedulerHook`:
    /// built by the `mmengine` trainer, not requested by name.
    ///
    /// The schedulers are built in list order on one optimizer (each constructor takes its first
    /// step). Every training iteration runs at the LR the optimizer holds, then `after_train_iter`
    /// steps the iteration-based schedulers (`by_epoch` false, or converted) in list order; at
    /// the end of each epoch `after_train_epoch` steps the epoch-based ones, and after a
    /// validation `after_val_epoch` steps `ReduceOnPlateauLR` with the validation's metric.
    /// Source: `mmengine/hooks/param_scheduler_hook.py`, `mmengine/runner/loops.py`.
    struct Runner: SchedulerDefinition {
        static let name = "param_scheduler"
        static let summary = "the Runner's ParamSchedulerHook over a param_scheduler list"
        static let parameters: [Parameter] = []

        /// One entry: its scheduler (end defaulted, converted) and where it is in the request.
        struct Entry: Sendable {
            let definition: any MMEngineDefinition
            let path: [String]
        }

        let entries: [Entry]
        /// `len(train_dataloader)`.
        let epochLength: Int
        /// Whether the loop counts epochs (`EpochBasedTrainLoop`) or iterations.
        let epochLoop: Bool
        let maxIterations: Int
        let maxEpochs: Int
        let validationInterval: Int
        let validationBegin: Int
        /// The metric of each validation, in order (`ReduceOnPlateauLR` only).
        let metrics: [Double]

        init?(decoding params: inout ParamsReader) { nil }

        init(
            entries: [Entry],
            epochLength: Int,
            epochLoop: Bool,
            maxIterations: Int,
            maxEpochs: Int,
            validationInterval: Int,
            validationBegin: Int,
            metrics: [Double]
        ) {
            self.entries = entries
            self.epochLength = epochLength
            self.epochLoop = epochLoop
            self.maxIterations = maxIterations
            self.maxEpochs = maxEpochs
            self.validationInterval = validationInterval
            self.validationBegin = validationBegin
            self.metrics = metrics
        }

        var costPerEpoch: Int { Swift.max(1, entries.count) }

        /// Whether a validation runs once `count` epochs (epoch loop) or iterations are done.
        func validates(after count: Int) -> Bool {
            let last = epochLoop ? maxEpochs : maxIterations
            return count >= validationBegin && (count % validationInterval == 0 || count == last)
        }

        func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
            try RunnerSchedule(self, lrs: lrs)
        }
    }

    /// The Runner's training loop, one iteration per `step()`.
    final class RunnerSchedule: Schedule {
        let runner: Runner
        let optimizer: MMEngineOptimizer
        var schedulers: [MMEngineScheduler] = []
        var iterations = 0
        var validations = 0

        init(_ runner: Runner, lrs: [Double]) throws(ScheduleFault) {
            self.runner = runner
            optimizer = MMEngineOptimizer(lrs: lrs)
            for entry in runner.entries {
                do throws(ScheduleFault) {
                    schedulers.append(try entry.definition.build(on: optimizer))
                } catch {
                    throw Self.located(error, entry)
                }
            }
        }

        static func located(_ fault: ScheduleFault, _ entry: Runner.Entry) -> ScheduleFault {
            var fault = fault
            fault.parameter = entry.path + fault.parameter
            return fault
        }

        var groupCount: Int { optimizer.lrs.count }

        func lr(group: Int) -> Double { optimizer.lrs[group] }

        /// Steps every scheduler whose `by_epoch` is `byEpoch`, in list order.
        func stepAll(byEpoch: Bool) throws(ScheduleFault) {
            for (scheduler, entry) in zip(schedulers, runner.entries) where entry.definition.window.byEpoch == byEpoch {
                do throws(ScheduleFault) { try scheduler.step() } catch { throw Self.located(error, entry) }
            }
        }

        /// A validation: `ReduceOnPlateauLR` steps on its metric.
        func validate() throws(ScheduleFault) {
            defer { validations += 1 }
            guard validations < runner.metrics.count else { return }
            let metric = runner.metrics[validations]
            for (scheduler, entry) in zip(schedulers, runner.entries) where scheduler is ReduceOnPlateauLR.Scheduler {
                do throws(ScheduleFault) { try scheduler.step(metric: metric) } catch {
                    throw Self.located(error, entry)
                }
            }
        }

        /// The end of one training iteration: its hooks, and the epoch's or validation's.
        func step(metric: Double?) throws(ScheduleFault) {
            try stepAll(byEpoch: false)
            iterations += 1
            if runner.epochLoop {
                if iterations % runner.epochLength == 0 {
                    try stepAll(byEpoch: true)
                    if runner.validates(after: iterations / runner.epochLength) { try validate() }
                }
            } else {
                if runner.validates(after: iterations) { try validate() }
                if iterations == runner.maxIterations { try stepAll(byEpoch: true) }
            }
        }
    }
}
