import JSON
import Testing

@testable import Schedules

/// The family seam: the registry, the parameter descriptions it publishes, and how faults and
/// decoding problems find their JSON pointers.
@Suite("families and registry")
struct RegistryTests {
    static let everyScheduler: [(family: String, scheduler: String)] = Registry.families.flatMap { family in
        family.schedulerNames.map { (family.name, $0) }
    }

    @Test("family and scheduler names are unique")
    func uniqueNames() {
        let families = Registry.families.map(\.name)
        #expect(Set(families).count == families.count, "duplicate family in \(families)")
        for family in Registry.families {
            let names = family.schedulerNames
            #expect(Set(names).count == names.count, "\(family.name): duplicate scheduler in \(names)")
            for type in family.schedulers {
                let parameters = type.parameters.map(\.name)
                #expect(
                    Set(parameters).count == parameters.count,
                    "\(family.name)/\(type.name): duplicate parameter in \(parameters)"
                )
            }
        }
    }

    @Test(
        "every declared parameter is one the decoder reads",
        arguments: everyScheduler.map { "\($0.family)/\($0.scheduler)" }
    )
    func declaredParametersAreRead(_ id: String) throws {
        let parts = id.split(separator: "/").map(String.init)
        let family = try #require(Registry.family(named: parts[0]))
        let type = try #require(family.scheduler(named: parts[1]))
        // All declared keys present but null (= absent): none may be reported as unknown.
        let params = JSONValue.object(JSONObject(type.parameters.map { ($0.name, JSONValue.null) }))
        var issues: [FieldIssue] = []
        var reader = ParamsReader(
            ObjectReader(value: params, at: JSONPointer.root.appending("params"), issues: &issues),
            family: family,
            groups: 1,
            context: DecodingContext()
        )
        _ = type.init(decoding: &reader)
        reader.object.rejectUnknownKeys()
        let unknown = reader.object.issues.filter { $0.detail.hasPrefix("is not a known field") }
        #expect(unknown.isEmpty, "\(id): declared but never read: \(unknown.map(\.pointer.description))")
        let declared = Set(type.parameters.map(\.name))
        let undeclared = reader.object.readKeys.subtracting(declared)
        #expect(undeclared.isEmpty, "\(id): read but not declared in the catalogue: \(undeclared.sorted())")
    }

    @Test("a spec decoded inside a larger document points into it")
    func nestedPointers() throws {
        let json = try JSONParser.parse(
            Array(#"{"scheduler":"CosineAnnealingLR","lr":0.1,"params":{"T_max":0},"epochs":3}"#.utf8)
        )
        let pointer = JSONPointer.root.appending("requests").appending(3)
        #expect(
            throws: ScheduleError.invalidSpec([
                FieldIssue(JSONPointer("/requests/3/params/T_max")!, "must be a positive integer, got 0")
            ])
        ) {
            _ = try ScheduleRequest.decode(json, at: pointer)
        }
    }

    @Test("a fault inside a composite child points at the child's parameter")
    func childFaultPointer() throws {
        let body =
            #"{"scheduler":"SequentialLR","lr":0.1,"params":{"schedulers":[{"scheduler":"ConstantLR","params":{}},{"scheduler":"OneCycleLR","params":{"max_lr":1,"total_steps":3}}],"milestones":[2]},"epochs":8}"#
        let request = try ScheduleRequest.decode(try JSONParser.parse(Array(body.utf8)))
        do {
            _ = try request.evaluate()
            Issue.record("OneCycleLR stepped past total_steps must fail")
        } catch {
            guard case .evaluationFailed(let issue, let epoch) = error else {
                Issue.record("expected evaluationFailed, got \(error)")
                return
            }
            #expect(issue.pointer.description == "/params/schedulers/1/params/total_steps", "pointer \(issue.pointer)")
            #expect(epoch == 6, "torch raises at step 6 (the child's 4th step), lrsched at \(epoch)")
        }
    }

    @Test(
        "an unknown name suggests the family that has it",
        arguments: [
            (
                #"{"scheduler":"cosine","lr":0.1,"epochs":3}"#,
                #""cosine" is a transformers scheduler: add "framework": "transformers""#
            ),
            (#"{"scheduler":"CosineLRScheduler","lr":0.1,"epochs":3}"#, #""CosineLRScheduler" is a timm scheduler"#),
            (#"{"framework":"timm","scheduler":"StepLR","lr":0.1,"epochs":3}"#, #""StepLR" is a torch scheduler"#),
            (#"{"framework":"transformers","scheduler":"cosin","lr":0.1,"epochs":3}"#, #"did you mean "cosine"?"#),
            (
                #"{"framework":"pytorch","scheduler":"StepLR","lr":0.1,"epochs":3}"#,
                #"must be one of "torch", "transformers", "timm", "optax", "keras", "deepspeed", "mmengine", "megatron", got "pytorch""#
            ),
        ]
    )
    func suggestions(_ body: String, _ expected: String) throws {
        let json = try JSONParser.parse(Array(body.utf8))
        do {
            _ = try ScheduleRequest.decode(json)
            Issue.record("\(body) must be refused")
        } catch {
            guard case .invalidSpec(let issues) = error else {
                Issue.record("\(body): expected invalidSpec, got \(error)")
                return
            }
            #expect(
                issues.contains { $0.detail.contains(expected) },
                "\(body): no issue says \(expected); got \(issues)"
            )
        }
    }

    @Test(
        "arguments get_scheduler ignores are accepted with a warning",
        arguments: [
            (
                "constant", #"{"num_warmup_steps":5,"num_training_steps":100}"#,
                ["num_warmup_steps", "num_training_steps"]
            ),
            ("constant_with_warmup", #"{"num_warmup_steps":5,"num_training_steps":100}"#, ["num_training_steps"]),
            ("inverse_sqrt", #"{"num_warmup_steps":5,"num_training_steps":100}"#, ["num_training_steps"]),
            ("linear", #"{"num_warmup_steps":5,"num_training_steps":100}"#, []),
            (
                "warmup_stable_decay",
                #"{"num_warmup_steps":5,"num_training_steps":100,"num_decay_steps":10,"num_stable_steps":20}"#,
                ["num_training_steps"]
            ),
        ]
    )
    func ignoredArguments(_ scheduler: String, _ params: String, _ ignored: [String]) throws {
        let body = #"{"framework":"transformers","scheduler":"\#(scheduler)","lr":0.1,"params":\#(params),"epochs":3}"#
        let request = try ScheduleRequest.decode(try JSONParser.parse(Array(body.utf8)))
        let warnings = request.scheduler.warnings
        #expect(warnings.count == ignored.count, "\(scheduler): warnings \(warnings), expected one per \(ignored)")
        for name in ignored {
            #expect(warnings.contains { $0.hasPrefix(name) }, "\(scheduler): no warning about \(name) in \(warnings)")
        }
    }

    @Test("a per-group list must have one value per group")
    func perGroupLength() throws {
        let body = #"{"scheduler":"CyclicLR","lr":[0.1,0.2,0.3],"params":{"base_lr":[0.1,0.2],"max_lr":1},"epochs":3}"#
        #expect(
            throws: ScheduleError.invalidSpec([
                FieldIssue(
                    JSONPointer("/params/base_lr")!,
                    "must be a non-negative number, or a list of 3 (one per parameter group), got an array of 2"
                )
            ])
        ) {
            _ = try ScheduleRequest.decode(try JSONParser.parse(Array(body.utf8)))
        }
    }

    @Test("several groups: each group follows its own base LR, group 0 is `lrs`")
    func groups() throws {
        let body = #"{"scheduler":"StepLR","lr":[0.1,1.0],"params":{"step_size":2,"gamma":0.5},"epochs":5}"#
        let values = try ScheduleRequest.decode(try JSONParser.parse(Array(body.utf8))).evaluate()
        #expect(values.lrs == [[0.1, 0.1, 0.05, 0.05, 0.025], [1.0, 1.0, 0.5, 0.5, 0.25]], "got \(values.lrs)")
        #expect(values.momentums == nil, "StepLR moves no momentum, got \(String(describing: values.momentums))")
    }

    @Test("timm noise that would spin is refused, and noisy steps cost their expected draws")
    func noiseBounds() throws {
        let spinning =
            #"{"framework":"timm","scheduler":"StepLRScheduler","lr":0.1,"params":{"decay_t":2,"noise_range_t":0,"noise_std":1000000,"noise_pct":0.01},"epochs":3}"#
        let json = try JSONParser.parse(Array(spinning.utf8))
        do {
            _ = try ScheduleRequest.decode(json)
            Issue.record("noise_pct 0.01 with noise_std 1e6 (about 1.25e8 draws a step) must be refused")
        } catch {
            guard case .invalidSpec(let issues) = error else {
                Issue.record("expected invalidSpec, got \(error)")
                return
            }
            #expect(issues.map(\.pointer.description) == ["/params/noise_pct"], "issues: \(issues)")
        }
        let noisy =
            #"{"framework":"timm","scheduler":"StepLRScheduler","lr":0.1,"params":{"decay_t":2,"noise_range_t":0,"noise_std":100,"noise_pct":0.67},"epochs":3}"#
        let request = try ScheduleRequest.decode(try JSONParser.parse(Array(noisy.utf8)))
        #expect(
            (180...200).contains(request.scheduler.costPerEpoch),
            "cost per step \(request.scheduler.costPerEpoch), expected about 1 + 188 draws"
        )
        #expect(try request.evaluate().lrs[0].count == 3)
    }
}
