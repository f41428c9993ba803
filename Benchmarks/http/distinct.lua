-- wrk script: POST a request that never repeats. BODY holds the request with __LR__ where its
-- "lr" goes; request n sends LR + ROUND × 1e-6 + n × 1e-12 (printed with 17 significant digits),
-- so no answer can come from a cache, within a round or across rounds (give each its ROUND).
wrk.method = "POST"
wrk.path = os.getenv("TARGET") or "/v1/schedules"
wrk.headers["Content-Type"] = "application/json"
local template = os.getenv("BODY")
local base = tonumber(os.getenv("LR")) + tonumber(os.getenv("ROUND") or "0") * 1e-6
local n = 0
request = function()
  n = n + 1
  local body = template:gsub("__LR__", string.format("%.17g", base + n * 1e-12))
  return wrk.format(nil, nil, nil, body)
end
