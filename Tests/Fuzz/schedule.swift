import JSON
import Schedules

/// libFuzzer entry point: any bytes as a `POST /v1/schedules` body, decoded and (when valid)
/// evaluated under small limits.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchedule(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let json = try? JSONParser.parse(bytes, maxDepth: 64) else { return 0 }
    let limits = ScheduleLimits(maxEpochs: 2_000, maxWork: 200_000)
    if let request = try? ScheduleRequest.decode(json, limits: limits) {
        _ = try? request.evaluate()
    }
    return 0
}
