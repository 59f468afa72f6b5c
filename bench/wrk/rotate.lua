-- Cycles through the paths given after "--": the calls a dashboard makes when it opens.
-- wrk -t2 -c32 -d20s --latency -s bench/wrk/rotate.lua -H "Authorization: Bearer <key>" URL -- /path1 /path2 ...
local paths = {}
local next_index = 1

function init(args)
  for i = 1, #args do paths[#paths + 1] = args[i] end
  next_index = 1 + math.random(#paths)
end

function request()
  local path = paths[(next_index % #paths) + 1]
  next_index = next_index + 1
  return wrk.format("GET", path)
end
