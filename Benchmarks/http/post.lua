-- wrk script: POST the JSON body in the BODY environment variable to /v1/schedules.
wrk.method = "POST"
wrk.path = "/v1/schedules"
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("BODY")
