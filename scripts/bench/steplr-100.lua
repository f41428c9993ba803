-- wrk script: POST a 100-epoch StepLR spec to /v1/schedules.
wrk.method = "POST"
wrk.path = "/v1/schedules"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"scheduler":"StepLR","lr":0.1,"params":{"step_size":10,"gamma":0.9},"epochs":100}'
