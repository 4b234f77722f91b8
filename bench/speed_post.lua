-- wrk script for bench/speed.py: POSTs a valid response to the consultation form.
-- Each request sends one of the CSRF cookie/token pairs fetched up front (file named in
-- SPEED_TOKENS: "cookie<TAB>token" a line) and a fresh one-time submission key, so every POST
-- passes CSRF and validation and stores a new response (a 302 to the confirmation page).
-- SPEED_BODY names a file with the form body; SUBMISSION_KEY and CSRF_TOKEN are replaced.

local pairs_list = {}
for line in io.lines(os.getenv("SPEED_TOKENS")) do
  local cookie, token = line:match("^(.-)\t(.*)$")
  if cookie then pairs_list[#pairs_list + 1] = {cookie, token} end
end
local file = io.open(os.getenv("SPEED_BODY"))
local template = file:read("*a")
file:close()

-- Globals, not locals: setup() sets thread_id and done() reads the counts with thread:get/set,
-- which only see a thread's globals.
counter, thread_id, redirects, others = 0, 0, 0, 0
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
  threads[#threads + 1] = thread
end

function init(args)
  math.randomseed(os.time() + thread_id * 7919)
end

function request()
  counter = counter + 1
  local pair = pairs_list[(counter + thread_id) % #pairs_list + 1]
  local key = string.format("wrk%02d%010d%08x", thread_id, counter, math.random(0, 0x7fffffff))
  local body = template:gsub("SUBMISSION_KEY", key):gsub("CSRF_TOKEN", function() return pair[2] end)
  return wrk.format("POST", nil, {["Cookie"] = pair[1],
                                  ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end

function response(status, headers, body)
  if status == 302 then redirects = redirects + 1 else others = others + 1 end
end

function done(summary, latency, requests)
  local ok, bad = 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("redirects")
    bad = bad + thread:get("others")
  end
  io.write(string.format("POST_STORED %d POST_OTHER %d\n", ok, bad))
end
