-- One route of bench/soak.sh's mix, for one wrk process (wrk -t1 ... -s bench/soak.lua URL).
-- Configured through the environment, which soak.sh sets per process:
--   SOAK_ROUTE   name printed in the result line
--   SOAK_PATHS   space-separated paths (with their query strings), taken in turn
--   SOAK_METHOD  GET (default) or POST (the autosave form: csrf_token and name)
--   SOAK_COOKIE  Cookie header to send (the signed-in routes), optional
--   SOAK_CSRF    the session's CSRF token (POST only)
--   SOAK_EXPECT  the status that counts as success (default 200): a 303 to /login from a
--                signed-in route is a lost session, not a success as wrk would have it
-- At the end it prints one line that soak.sh reads:
--   SOAK <route> requests=N ... p50_us=N p99_us=N ... s<status>=N ...

local route = os.getenv("SOAK_ROUTE") or "?"
local method = os.getenv("SOAK_METHOD") or "GET"
local cookie = os.getenv("SOAK_COOKIE") or ""
local csrf = os.getenv("SOAK_CSRF") or ""
local paths = {}
for p in (os.getenv("SOAK_PATHS") or "/"):gmatch("%S+") do
  paths[#paths + 1] = p
end

local threads = {}

function setup(thread)
  thread:set("thread_no", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  counts = {} -- status -> responses; global so that done() can read it through thread:get
  n = 0
end

function request()
  n = n + 1
  local path = paths[(n - 1) % #paths + 1]
  local headers = {}
  if cookie ~= "" then
    headers["Cookie"] = cookie
  end
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local name = "Soak+draft+" .. n
    if thread_no and thread_no > 1 then
      name = name .. "-" .. thread_no
    end
    return wrk.format("POST", path, headers, "csrf_token=" .. csrf .. "&name=" .. name)
  end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for status, k in pairs(t:get("counts") or {}) do
      all[status] = (all[status] or 0) + k
    end
  end
  local e = summary.errors
  io.write(string.format(
    "SOAK %s requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
      "connect=%d read=%d write=%d timeout=%d expect=%s",
    route, summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.timeout, os.getenv("SOAK_EXPECT") or "200"))
  for status, k in pairs(all) do
    io.write(string.format(" s%d=%d", status, k))
  end
  io.write("\n")
end
