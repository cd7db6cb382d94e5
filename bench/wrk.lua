-- wrk script for the benchmark: prints its figures as one JSON line at the end, and in
-- "post" mode sends the rating form, each connection rating a priority of its own.
--
--   wrk -t4 -c4 -d10s -s bench/wrk.lua URL                                   (a GET page)
--   wrk -t4 -c4 -d10s -s bench/wrk.lua URL -- post SESSION CSRF PATH@VERSION ...  (the POST)
--
-- For the POST there must be one connection per thread (-t = -c): a thread's state is then one
-- connection's, so it knows the version its last save left (a redirect means saved: the next
-- version is one more) and never sends a stale one; if another writer got in first, the form
-- comes back (200) with the current version in it, which it takes.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

function init(args)
  conflicts = 0
  saved = 0
  if args[1] ~= "post" then
    return
  end
  local target = args[3 + index]
  if target == nil then
    error("give one PATH@VERSION per thread")
  end
  path, version = target:match("(.+)@(%d+)")
  version = tonumber(version)
  number = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = "sessionid=" .. args[2] .. "; csrftoken=" .. args[3]
  csrf = args[3]
  posting = true
end

function request()
  if not posting then
    return wrk.format()
  end
  number = number + 1
  local ratings = { "red", "amber", "green" }
  local body = "csrfmiddlewaretoken=" .. csrf .. "&version=" .. version .. "&rating=" .. ratings[number % 3 + 1]
    .. "&commentary=Benchmark+rating+" .. number .. "+%28synthetic%29."
  return wrk.format(nil, path, nil, body)
end

function response(status, headers, body)
  if not posting then
    return
  end
  if status == 302 then
    saved = saved + 1
    version = version + 1
  elseif status == 200 then
    conflicts = conflicts + 1
    local shown = body:match('name="version" value="(%d+)"')
    if shown then
      version = tonumber(shown)
    end
  end
end

function done(summary, latency, requests)
  local saves, refused = 0, 0
  for _, thread in ipairs(threads) do
    saves = saves + (thread:get("saved") or 0)
    refused = refused + (thread:get("conflicts") or 0)
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
      .. '"latency_ms": {"mean": %.2f, "p50": %.2f, "p90": %.2f, "p99": %.2f, "max": %.2f}, "saved": %d, "conflicts": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency.mean / 1000, latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, saves, refused
  ))
end
