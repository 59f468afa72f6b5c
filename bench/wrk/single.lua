-- One event per request to /v1/track, realistic shape (~450 bytes), many persons and user agents.
-- wrk -t2 -c256 -d20s --latency -s bench/wrk/single.lua -H "Authorization: Basic <base64 key:>" URL -- <run-id>
local agents = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
  "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
}
local names = { "Page Viewed", "Page Viewed", "Product Viewed", "Button Clicked", "Product Added", "Order Completed" }
local pages = { "/", "/pricing", "/docs", "/cart", "/checkout", "/products/shoes", "/blog/real-time-analytics" }
local referrers = { "", "https://www.google.com/", "https://t.co/abc", "https://news.ycombinator.com/" }

local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

function init(args)
  run = args[1] or tostring(os.time())
  counter = 0
  math.randomseed(os.time() + tid * 7919)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function body()
  counter = counter + 1
  local page = pages[math.random(#pages)]
  return string.format(
    '{"messageId":"%s-%d-%d","userId":"user-%d","event":"%s","properties":{"sku":"sku-%d","price":%d.99,"currency":"USD"},' ..
    '"context":{"userAgent":"%s","locale":"en-US","page":{"path":"%s","url":"https://shop.example%s","referrer":"%s"},' ..
    '"library":{"name":"analytics.js","version":"4.1.0"}}}',
    run, tid, counter, math.random(100000), names[math.random(#names)], math.random(500), math.random(99),
    agents[math.random(#agents)], page, page, referrers[math.random(#referrers)])
end

function request()
  return wrk.format(nil, "/v1/track", nil, body())
end
