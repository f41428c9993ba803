import HTTPServer
import JSON
import Schedules
import Training

/// Encodes answers as JSON (`application/json`; problems as `application/problem+json`): the one
/// place where an answer becomes bytes.
public enum JSONRenderer {
    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    /// The HTTP response carrying `answer`.
    public static func response(_ answer: Answer) -> HTTPResponse {
        switch answer {
        case .problem(let problem):
            HTTPResponse(
                status: problem.kind.status,
                headerFields: HTTPFields(
                    [HTTPField(name: .contentType, value: "application/problem+json")] + problem.headers
                ),
                body: problem.body
            )
        default:
            HTTPResponse(status: answer.status, headerFields: jsonHeaders, body: body(answer))
        }
    }

    /// The body of `answer`, newline-terminated.
    public static func body(_ answer: Answer) -> [UInt8] {
        switch answer {
        case .health: Array(#"{"status":"ok","version":"\#(LRSchedVersion.current)"}"#.utf8) + [10]
        case .readiness(_, let status): Array(#"{"status":"\#(status)"}"#.utf8) + [10]
        case .schedule(let schedule): encode(schedule)
        case .batch(let batch): encode(batch)
        case .training(let training): encode(training)
        case .catalogue: catalogue
        case .openAPI: Asset.openAPI
        case .playground: Asset.playground
        case .metrics(let text): text
        case .problem(let problem): problem.body
        }
    }

    /// `{"scheduler", "epochs", "start", "lrs"}`, with `framework` for families other than torch,
    /// `trainer` and `plan` for a trainer request (`epochs` then counts the updates answered),
    /// `group_lrs` when there are several parameter groups, `momentums` (and `group_momentums`)
    /// when the schedule moves the momentum, and `warnings` when the framework ignores arguments;
    /// the family's options (optax `mode`, Keras `backend`), and `"exact": false` where lrsched
    /// cannot reproduce the framework bit for bit.
    static func encode(_ answer: ScheduleAnswer) -> [UInt8] {
        let request = answer.request
        let values = answer.values
        let groups = values.lrs.count
        // Room for every list the answer holds, so the buffer never grows (and copies) mid-way.
        // (`lrs`, then `group_lrs` with every group when there are several; the same for momentums.)
        let lists = (groups > 1 ? groups + 1 : 1) * (values.momentums == nil ? 1 : 2)
        let count = values.lrs.first?.count ?? 0
        var w = JSONWriter(reservingCapacity: 256 + lists * JSONWriter.capacity(forDoubles: count))
        w.beginObject()
        if let trainer = request.trainer?.trainer {
            w.key("trainer")
            w.string(trainer)
        }
        if request.scheduler.family !== Registry.defaultFamily {
            w.key("framework")
            w.string(request.scheduler.family.name)
        }
        w.key("scheduler")
        w.string(request.scheduler.name)
        for (name, value) in request.scheduler.effectiveOptions {
            w.key(name)
            w.string(value)
        }
        if !request.scheduler.isExact {
            w.key("exact")
            w.bool(false)
        }
        switch request.selection {
        case .at(let steps):
            // Look-ups: the steps asked for, then their values in the same order.
            w.key("steps")
            w.ints(steps)
        case .every(let n):
            w.key("epochs")
            w.int(request.epochs)
            w.key("start")
            w.int(request.start)
            w.key("every")
            w.int(n)
        case .range:
            w.key("epochs")
            w.int(request.epochs)
            w.key("start")
            w.int(request.start)
        }
        w.key("lrs")
        w.doubles(values.lrs[0])
        if groups > 1 {
            w.key("group_lrs")
            table(values.lrs, &w)
        }
        if let momentums = values.momentums {
            w.key("momentums")
            w.doubles(momentums[0])
            if groups > 1 {
                w.key("group_momentums")
                table(momentums, &w)
            }
        }
        if request.summary, let summary = request.summarize(values, warmupEnd: request.warmupEnd(params: answer.params))
        {
            w.key("summary")
            w.beginObject()
            for (key, point) in [("min", summary.min), ("max", summary.max), ("final", summary.final)] {
                w.key(key)
                w.beginObject()
                w.key("step")
                w.int(point.step)
                w.key("lr")
                w.double(point.lr)
                w.endObject()
            }
            if let end = summary.warmupEnd {
                w.key("warmup_end")
                w.int(end)
            }
            w.endObject()
        }
        if let trainer = request.trainer {
            w.key("plan")
            w.write(.object(trainer.members))
        }
        let warnings = request.trainer?.warnings ?? request.scheduler.warnings
        if !warnings.isEmpty {
            w.key("warnings")
            w.beginArray()
            for warning in warnings { w.string(warning) }
            w.endArray()
        }
        w.endObject()
        w.bytes.append(UInt8(ascii: "\n"))
        return w.bytes
    }

    /// `{"results": [...]}`: each item's schedule answer (with its `label`, and its `diff`
    /// against the first when asked) or its problem.
    static func encode(_ batch: BatchAnswer) -> [UInt8] {
        var out: [UInt8] = Array(#"{"results":["#.utf8)
        let base: ScheduleAnswer? = if case .success(let first)? = batch.items.first?.result { first } else { nil }
        for (i, item) in batch.items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            var prefix = JSONWriter(reservingCapacity: 64)
            var body: [UInt8]
            switch item.result {
            case .success(let answer):
                body = encode(answer)
                if batch.diff, i > 0, let base {
                    let difference = ScheduleDifference(answer, against: base, rtol: batch.rtol, atol: batch.atol)
                    prefix.beginObject()
                    prefix.key("diff")
                    prefix.beginObject()
                    prefix.key("first_difference")
                    if let epoch = difference.firstDifference { prefix.int(epoch) } else { prefix.null() }
                    prefix.key("max_relative_difference")
                    prefix.double(difference.maxRelativeDifference)
                    prefix.key("compared_epochs")
                    prefix.int(difference.comparedEpochs)
                    prefix.key("differing_steps")
                    prefix.int(difference.differingSteps)
                    prefix.key("largest_difference")
                    if let largest = difference.largest {
                        prefix.beginObject()
                        prefix.key("step")
                        prefix.int(largest.step)
                        prefix.key("absolute")
                        prefix.double(largest.absolute)
                        prefix.key("relative")
                        prefix.double(largest.relative)
                        prefix.endObject()
                    } else {
                        prefix.null()
                    }
                    prefix.endObject()
                }
            case .failure(let problem):
                body = problem.body
            }
            if let label = item.label {
                if prefix.bytes.isEmpty { prefix.beginObject() }
                prefix.key("label")
                prefix.string(label)
            }
            // Splice the members written so far in front of the answer's own members.
            if body.last == UInt8(ascii: "\n") { body.removeLast() }
            if !prefix.bytes.isEmpty {
                out.append(contentsOf: prefix.bytes)
                out.append(UInt8(ascii: ","))
                out.append(contentsOf: body.dropFirst())
            } else {
                out.append(contentsOf: body)
            }
        }
        out.append(contentsOf: Array("]}\n".utf8))
        return out
    }

    private static func table(_ rows: [[Double]], _ w: inout JSONWriter) {
        w.beginArray()
        for row in rows { w.doubles(row) }
        w.endArray()
    }

    /// The answer of a training run. Losses and LRs are finite by construction (the run stops at
    /// the first non-finite loss and reports `diverged_at`).
    static func encode(_ answer: TrainingAnswer) -> [UInt8] {
        let request = answer.request
        let result = answer.result
        var w = JSONWriter(reservingCapacity: 128 + (result.lrs.count * 3 + result.stepLRs.count) * 24)
        w.beginObject()
        w.key("epochs")
        w.int(request.epochs)
        w.key("lrs")
        w.doubles(result.lrs)
        if request.interval == .step {
            w.key("step_lrs")
            w.doubles(result.stepLRs)
        }
        w.key("train_loss")
        w.doubles(result.trainLoss)
        if let validation = result.validationLoss {
            w.key("val_loss")
            w.doubles(validation)
        }
        w.key("steps")
        w.int(result.steps)
        if let last = result.trainLoss.last {
            w.key("final")
            w.beginObject()
            w.key("train_loss")
            w.double(last)
            if let v = result.validationLoss?.last {
                w.key("val_loss")
                w.double(v)
            }
            w.endObject()
        }
        if let diverged = result.divergedAt {
            w.key("diverged_at")
            w.int(diverged)
        }
        w.endObject()
        w.bytes.append(UInt8(ascii: "\n"))
        return w.bytes
    }

    /// `GET /v1/schedulers`, encoded once: the registry is fixed at build time. `families` lists
    /// every family's schedulers and parameters; `trainers` every trainer and the members it reads.
    static let catalogue: [UInt8] = {
        var w = JSONWriter(reservingCapacity: 64 * 1024)
        w.beginObject()
        w.key("families")
        w.beginArray()
        for family in Registry.families {
            w.beginObject()
            w.key("framework")
            w.string(family.name)
            w.key("title")
            w.string(family.title)
            w.key("version")
            w.string(family.version)
            w.key("stepping")
            w.string(family.stepping)
            if !family.options.isEmpty {
                // Request members beside `scheduler` and `params` (optax `mode`, Keras `backend`).
                w.key("options")
                w.beginArray()
                for option in family.options {
                    w.beginObject()
                    w.key("name")
                    w.string(option.name)
                    w.key("choices")
                    w.beginArray()
                    for choice in option.choices { w.string(choice) }
                    w.endArray()
                    w.key("default")
                    w.string(option.defaultValue)
                    w.key("description")
                    w.string(option.meaning)
                    w.endObject()
                }
                w.endArray()
            }
            w.key("schedulers")
            w.beginArray()
            for scheduler in family.schedulers {
                w.beginObject()
                w.key("name")
                w.string(scheduler.name)
                w.key("summary")
                w.string(scheduler.summary)
                switch scheduler.learningRate {
                case .required:
                    w.key("lr")
                    w.string("required")
                case .none:
                    w.key("lr")
                    w.string("none")
                case .optional(let fallback):
                    w.key("lr")
                    w.string("optional")
                    w.key("lr_default")
                    w.double(fallback)
                }
                w.key("metrics")
                w.bool(scheduler.takesMetrics)
                w.key("parameters")
                w.beginArray()
                for p in scheduler.parameters {
                    w.beginObject()
                    w.key("name")
                    w.string(p.name)
                    w.key("type")
                    w.string(p.type)
                    w.key("required")
                    w.bool(p.isRequired)
                    w.key("default")
                    w.write(p.defaultJSON)
                    w.key("constraint")
                    w.string(p.constraint)
                    w.key("description")
                    w.string(p.meaning)
                    w.endObject()
                }
                w.endArray()
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        // Trainer requests: the training loops above the families, with the members they read.
        w.key("trainers")
        w.beginArray()
        for trainer in Trainers.catalogue {
            w.beginObject()
            w.key("trainer")
            w.string(trainer.name)
            w.key("title")
            w.string(trainer.title)
            w.key("version")
            w.string(trainer.version)
            w.key("stepping")
            w.string(trainer.stepping)
            w.key("fields")
            w.beginArray()
            for field in trainer.fields {
                w.beginObject()
                w.key("name")
                w.string(field.name)
                w.key("type")
                w.string(field.type)
                w.key("required")
                w.bool(field.required)
                w.key("default")
                w.write(field.defaultValue)
                w.key("description")
                w.string(field.meaning)
                w.endObject()
            }
            w.endArray()
            w.key("plan")
            w.beginArray()
            for member in trainer.plan { w.string(member) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.bytes.append(UInt8(ascii: "\n"))
        return w.bytes
    }()
}
