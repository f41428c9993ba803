import JSON

/// libFuzzer entry point: any bytes through the JSON parser, then writing what it accepted.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    if let value = try? JSONParser.parse(bytes, maxDepth: 256) {
        let text = value.description
        let again = try? JSONParser.parse(Array(text.utf8), maxDepth: 256)
        precondition(again == value, "the writer's output must parse back to the same value")
    }
    return 0
}
