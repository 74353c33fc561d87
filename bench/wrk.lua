-- wrk script of bench/run.sh: prints one machine-readable line at the end of a run,
--   BENCH {"p50_ms":…,"p99_ms":…,"rps":…,"requests":…,"errors":…}
-- and, when BENCH_BODIES names a file, sends writes: each line of the file is
--   <path>\t<JSON body containing @@N@@>
-- and every request replaces @@N@@ with a value never sent before (thread, counter), so
-- that each write really changes the record (lipa writes nothing for an unchanged one).
-- Extra headers come from BENCH_HEADERS ("Name: value" lines separated by "\n").

local threads = {}
local counter = 0
local bodies = nil
local method = os.getenv("BENCH_METHOD") or "GET"

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  local h = os.getenv("BENCH_HEADERS")
  if h then
    for line in string.gmatch(h, "[^\n]+") do
      local name, value = string.match(line, "^([^:]+):%s*(.*)$")
      if name then wrk.headers[name] = value end
    end
  end
  local file = os.getenv("BENCH_BODIES")
  if file then
    bodies = {}
    for line in io.lines(file) do
      local path, body = string.match(line, "^([^\t]+)\t(.*)$")
      if path then table.insert(bodies, { path = path, body = body }) end
    end
    -- Each thread writes its own records, in turn: with more records per thread than
    -- connections, no two writes of the run meet on one record (they would race for its version
    -- and one would be refused with 412, which measures the race rather than the write).
    local n = tonumber(os.getenv("BENCH_THREADS") or "1")
    local mine = {}
    for i, b in ipairs(bodies) do
      if (i - 1) % n == (tid or 1) - 1 then table.insert(mine, b) end
    end
    if #mine > 0 then bodies = mine end
    wrk.headers["Content-Type"] = "application/json"
  end
end

-- Only writes need a request function: without one, wrk sends its prepared request, and the
-- reads are measured without a Lua call per request.
if os.getenv("BENCH_BODIES") then
  function request()
    counter = counter + 1
    local t = tid or 0 -- a global set by setup() in this thread's Lua state
    local b = bodies[(counter % #bodies) + 1]
    local body = string.gsub(b.body, "@@N@@", t .. "-" .. counter)
    return wrk.format(method, b.path, nil, body)
  end
end

-- Writes count their answers by status, so that a refused write shows why.
if os.getenv("BENCH_BODIES") then
  statuses = {}
  function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d":%d', status, n))
  end
  table.sort(parts)
  io.write(string.format(
    'BENCH {"p50_ms":%.3f,"p99_ms":%.3f,"rps":%.1f,"requests":%d,"errors":%d,"status_errors":%d,"statuses":{%s}}\n',
    latency:percentile(50) / 1000.0, latency:percentile(99) / 1000.0,
    summary.requests / (summary.duration / 1e6), summary.requests, errors, e.status,
    table.concat(parts, ",")))
end
