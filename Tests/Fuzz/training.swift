import JSON
import Training

/// libFuzzer entry point: any bytes as a `POST /v1/training-runs` body, decoded (not run).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTraining(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let json = try? JSONParser.parse(bytes, maxDepth: 64) else { return 0 }
    _ = try? TrainingRequest.decode(json)
    return 0
}
