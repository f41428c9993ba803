/// `torch.optim.lr_scheduler.ChainedScheduler`: steps every child in order on the same optimizer,
/// so their chainable factors multiply. It has no initial step of its own (the children took
/// theirs when they were built). Constraint: no ReduceLROnPlateau child.
final class ChainedScheduler: LRScheduler {
    let children: [LRScheduler]

    init(group: ParamGroup, children: [LRScheduler]) {
        self.children = children
        super.init(group: group)
        lastLR = group.lr
    }

    override class var stepsChainably: Bool { false }

    override func step() throws {
        for (i, child) in children.enumerated() {
            do { try child.step() } catch { throw ScheduleFault(torch: error).inChild(i) }
        }
        lastLR = group.lr
    }

    /// Torch's base `get_lr()` raises `NotImplementedError`; reached when a SequentialLR restarts
    /// a composite child at its milestone.
    override func getLR() throws -> Double {
        throw ScheduleFault(
            "NotImplementedError: a ChainedScheduler cannot be restarted by SequentialLR (torch raises here)"
        )
    }

    override func undoOneEpoch() {
        for child in children { child.undoOneEpoch() }
    }
}

extension ChainedScheduler {
    /// `ChainedScheduler(schedulers)`, every child built on the same optimizer.
    struct Definition: TorchScheduler {
        static let name = "ChainedScheduler"
        static let summary = "step every child scheduler in order, so their factors multiply"
        static let schedulers = Parameter(
            "schedulers",
            type: "list[scheduler]",
            default: .required,
            constraint: "a non-empty list of {\"scheduler\": ..., \"params\": {...}} objects (no ReduceLROnPlateau)",
            meaning: "the child schedulers, built in order on the same optimizer"
        )
        static let parameters = [schedulers]
        let children: [SchedulerSpec]

        init?(decoding params: inout ParamsReader) {
            guard let children = SchedulerSpec.decodeChildren(Self.schedulers.name, of: Self.name, in: &params) else {
                return nil
            }
            self.children = children
        }

        var costPerEpoch: Int { 1 + children.reduce(0) { $0 + $1.costPerEpoch } }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            ChainedScheduler(group: group, children: try buildChildren(children, on: group, index: index))
        }
    }
}

/// Builds composite children in order on the same group, as Python evaluates the list literal.
func buildChildren(
    _ children: [SchedulerSpec],
    on group: ParamGroup,
    index: Int
) throws(ScheduleFault)
    -> [LRScheduler]
{
    var built: [LRScheduler] = []
    for (i, child) in children.enumerated() {
        guard let definition = child.definition as? any TorchScheduler else {
            throw ScheduleFault("\(child.name) is not a torch scheduler").inChild(i)
        }
        do {
            built.append(try definition.build(on: group, index: index))
        } catch {
            throw error.inChild(i)
        }
    }
    return built
}
