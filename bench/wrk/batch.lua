-- Batches of 100 events per request to /v1/batch (what server-side SDKs send).
-- wrk -t2 -c64 -d20s --latency -s bench/wrk/batch.lua -H "Authorization: Basic <base64 key:>" URL -- <run-id> [size]
dofile(debug.getinfo(1, "S").source:sub(2):gsub("batch.lua$", "single.lua"))

local single_init = init
function init(args)
  single_init(args)
  size = tonumber(args[2] or "100")
end

function request()
  local items = {}
  for i = 1, size do
    local event = body()
    items[i] = '{"type":"track",' .. event:sub(2)
  end
  return wrk.format(nil, "/v1/batch", nil, '{"batch":[' .. table.concat(items, ",") .. ']}')
end
