extension Transformers {
    /// `warmup_stable_decay` → `get_wsd_schedule(optimizer, W, num_decay_steps,
    /// num_training_steps=None, num_stable_steps=None, warmup_type="linear", decay_type="cosine",
    /// min_lr_ratio=0, num_cycles=0.5)`.
    ///
    /// Three phases with `m = min_lr_ratio`: warm-up (`p = float(t) / float(max(1, W))`; linear `p`,
    /// cosine `0.5 * (1.0 - cos(pi * p))`, 1-sqrt `1.0 - sqrt(1.0 - p)`; then `max(0.0, f * (1.0 - m) + m)`),
    /// stable (1.0) for `S` steps, decay over `D` steps (`p = float(t - W - S) / float(max(1, D))`;
    /// linear `1.0 - p`, cosine `0.5 * (1.0 + cos(pi * float(num_cycles) * 2.0 * p))`, 1-sqrt
    /// `1.0 - sqrt(p)`; rescaled the same way), then `m`. `S = N - W - D` unless given; when both
    /// are given, `S` wins (transformers warns; so do we).
    /// Source: `transformers/optimization.py`, `_get_wsd_scheduler_lambda`.
    struct WarmupStableDecay: TransformersLambda {
        /// `warmup_type` / `decay_type`.
        enum Shape: String, CaseIterable, Sendable {
            case linear, cosine
            case oneMinusSqrt = "1-sqrt"
        }

        static let name = "warmup_stable_decay"
        static let summary = "warm-up, a stable phase at the base LR, then a decay to min_lr_ratio × base"
        static let trainingSteps = Parameter(
            "num_training_steps",
            type: "int",
            default: .none,
            constraint: "an integer",
            meaning: "the total steps; the stable phase is what warm-up and decay leave (or give num_stable_steps)"
        )
        static let decaySteps = Parameter.int("num_decay_steps", "an integer", "the length of the decay phase")
        static let stableSteps = Parameter(
            "num_stable_steps",
            type: "int",
            default: .none,
            constraint: "an integer",
            meaning: "the length of the stable phase (None: N - W - num_decay_steps)"
        )
        static let warmupType = Parameter.choice(
            "warmup_type",
            default: "linear",
            Shape.allCases.map(\.rawValue),
            "the warm-up's shape"
        )
        static let decayType = Parameter.choice(
            "decay_type",
            default: "cosine",
            Shape.allCases.map(\.rawValue),
            "the decay's shape"
        )
        static let minLRRatio = Parameter(
            "min_lr_ratio",
            type: "float",
            default: .int(0),
            constraint: "a number",
            meaning: "the LR at both ends as a fraction of the base LR"
        )
        static let numCycles = Transformers.cycles(default: 0.5, "cosine periods over the decay (cosine decay only)")
        static let parameters = [
            Transformers.warmupSteps, trainingSteps, decaySteps, stableSteps, warmupType, decayType,
            minLRRatio, numCycles,
        ]
        let warmupSteps: Int, stableSteps: Int, decaySteps: Int
        let warmupType: Shape, decayType: Shape
        let minLRRatio: Double, cycles: Double
        let warnings: [String]

        init?(decoding params: inout ParamsReader) {
            warmupSteps = Transformers.required(Transformers.warmupSteps, of: Self.name, in: &params)
            let total = params.optionalInt(Self.trainingSteps, in: Transformers.steps)
            decaySteps = params.int(Self.decaySteps, in: Transformers.steps)
            let stable = params.optionalInt(Self.stableSteps, in: -(1 << 53)...(1 << 53))
            warmupType = params.choice(Self.warmupType, default: .linear)
            decayType = params.choice(Self.decayType, default: .cosine)
            minLRRatio = params.double(Self.minLRRatio)
            cycles = params.double(Self.numCycles)
            switch (total, stable) {
            case (nil, nil):
                if !params.hasIssues {
                    params.record(
                        Self.trainingSteps.name,
                        "or num_stable_steps is required (transformers raises ValueError: Either num_training_steps or num_stable_steps must be specified.)"
                    )
                }
                warnings = []
            case (_?, _?):
                warnings = [
                    "num_training_steps is ignored: num_stable_steps is given and used (transformers warns the same)"
                ]
            default:
                warnings = []
            }
            if params.hasIssues { return nil }
            stableSteps = stable ?? (total! - warmupSteps - decaySteps)
        }

        func factor(at step: Int) throws(ExprFault) -> Double {
            if step < warmupSteps {
                let progress = Double(step) / Double(Swift.max(1, warmupSteps))
                let f: Double
                switch warmupType {
                case .linear: f = progress
                case .cosine: f = 0.5 * (1.0 - ExprLibm.cos(Double.pi * progress))
                case .oneMinusSqrt: f = 1.0 - (try PythonFloat.sqrt(1.0 - progress))
                }
                return PythonFloat.max(0.0, f * (1.0 - minLRRatio) + minLRRatio)
            }
            if step < warmupSteps + stableSteps { return 1.0 }
            if step < warmupSteps + stableSteps + decaySteps {
                let progress = Double(step - warmupSteps - stableSteps) / Double(Swift.max(1, decaySteps))
                let f: Double
                switch decayType {
                case .linear: f = 1.0 - progress
                case .cosine: f = 0.5 * (1.0 + ExprLibm.cos(Double.pi * cycles * 2.0 * progress))
                case .oneMinusSqrt: f = 1.0 - (try PythonFloat.sqrt(progress))
                }
                return PythonFloat.max(0.0, f * (1.0 - minLRRatio) + minLRRatio)
            }
            return minLRRatio
        }
    }
}
