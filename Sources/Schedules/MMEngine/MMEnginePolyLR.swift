extension MMEngine {
    /// `PolyLR(optimizer, eta_min=0, power=1.0, begin=0, end=INF, …)`: chainable; unchanged at
    /// window step 0, then `(lr - eta_min) * (1 - 1 / (T - t + 1)) ** power + eta_min` with
    /// `T = end - begin - 1`. Past `T` (a fractional `end`) the base goes negative: a
    /// fractional power then fails, as Python's complex result does for the optimizer. Source:
    /// `PolyParamScheduler` in `param_scheduler.py`.
    struct PolyLR: MMEngineDefinition {
        static let name = "PolyLR"
        static let summary = "polynomial decay of the LR to eta_min at the window's end"
        static let etaMin = Parameter.float("eta_min", default: 0, "the LR at the window's end")
        static let power = Parameter.float("power", default: 1.0, "the power of the polynomial")
        static let parameters = [etaMin, power] + MMEngine.common

        let floor: Double, power: Double
        var window: MMEngineWindow

        init?(decoding params: inout ParamsReader) {
            floor = params.double(Self.etaMin)
            power = params.double(Self.power)
            window = MMEngineWindow(&params)
            if params.hasIssues { return nil }
        }

        func build(on optimizer: MMEngineOptimizer) throws(ScheduleFault) -> MMEngineScheduler {
            try Scheduler(self, optimizer: optimizer).start()
        }

        final class Scheduler: MMEngineScheduler {
            let floor: Double, power: Double
            init(_ definition: PolyLR, optimizer: MMEngineOptimizer) throws(ScheduleFault) {
                floor = definition.floor
                power = definition.power
                try super.init(optimizer: optimizer, window: definition.window)
            }

            override func update(_ lrs: inout [Double]) throws(ScheduleFault) {
                if lastStep == 0 { return }
                let total = window.end - window.begin - 1
                let remaining = total - Double(lastStep) + 1
                guard remaining != 0 else { throw MMEngine.zeroDivision }
                let factor: Double
                do throws(ExprFault) {
                    factor = try PythonFloat.power(1 - 1 / remaining, power)
                } catch {
                    throw ScheduleFault(error.message, parameter: PolyLR.power.name)
                }
                for g in lrs.indices { lrs[g] = (lrs[g] - floor) * factor + floor }
            }
        }
    }
}
