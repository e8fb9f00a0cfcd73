-- wrk's script for bench/load.py: each connection (one per wrk thread) is one teacher.
--
--   wrk -t C -c C -s bench/load.lua URL -- MODE CONNECTIONS_FILE
--
-- MODE is "page" (the teacher's class page), "save" (autosaves of "what we discussed"
-- on the teacher's own conference under way) or "mix" (every fifth request an autosave).
-- Line n of CONNECTIONS_FILE is connection n's: cookie, CSRF token, page path, save path,
-- separated by tabs (an empty cookie sends none).
-- Every answer other than 200 is counted; done() prints one line for load.py to read.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("id", #threads)
end

function init(args)
   mode = args[1]
   local n = 0
   for line in io.lines(args[2]) do
      n = n + 1
      if n == id then
         cookie, token, page, save = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
      end
   end
   assert(page, "no line " .. id .. " in " .. args[2])
   sent, not_ok, typed = 0, 0, 0
   saved = ""      -- the text the server last said it saved: the next save's "previous"
   pending = nil   -- the text of the autosave in flight, if the request is one
   page_headers = {}
   save_headers = {
      ["X-CSRFToken"] = token,
      ["Content-Type"] = "application/x-www-form-urlencoded",
   }
   if cookie ~= "" then
      page_headers["Cookie"] = cookie
      save_headers["Cookie"] = cookie
   end
end

local function form_value(text)
   return (text:gsub(" ", "+"))
end

function request()
   sent = sent + 1
   -- Offset by the connection's number, so the connections' autosaves do not come in step.
   if mode == "save" or (mode == "mix" and (sent + id) % 5 == 0) then
      typed = typed + 1
      pending = "We talked through paragraph " .. typed .. " of the draft"
      local body = "field=discussed&value=" .. form_value(pending)
         .. "&previous=" .. form_value(saved)
      return wrk.format("POST", save, save_headers, body)
   end
   pending = nil
   return wrk.format("GET", page, page_headers)
end

function response(status, headers, body)
   if status ~= 200 then
      not_ok = not_ok + 1
   end
   if pending then
      if status == 200 then
         saved = pending
      elseif status == 409 then
         -- Another save got in first (a retry after a dropped connection): carry on from
         -- the server's text, as the conference screen does.
         saved = body:match('"server_value": *"([^"]*)"') or saved
      end
   end
end

function done(summary, latency, requests)
   local answered_not_ok = 0
   for _, thread in ipairs(threads) do
      answered_not_ok = answered_not_ok + thread:get("not_ok")
   end
   local errors = summary.errors
   io.write(string.format(
      "LOAD requests=%d seconds=%.3f p50_ms=%.2f p99_ms=%.2f not_ok=%d socket=%d timeout=%d\n",
      summary.requests,
      summary.duration / 1e6,
      latency:percentile(50) / 1e3,
      latency:percentile(99) / 1e3,
      answered_not_ok,
      errors.connect + errors.read + errors.write,
      errors.timeout
   ))
end
