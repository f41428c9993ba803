import Schedules

/// libFuzzer entry point: any text as an `lr_lambda` expression, evaluated at a few epochs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLambda(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let expression = try? LambdaExpression(parsing: source) else { return 0 }
    for epoch in [0, 1, 2, 7, 100, 1_000_000] {
        _ = try? expression.evaluate(epoch)
    }
    return 0
}
