// Opens the dashboard in Debian's headless chromium, connects through its prompt, and checks what it shows.
// Run by DashboardBrowserTest, which prepares the data, posts live events while this runs, and reads the
// last line of stdout: {"ok":true,...} or {"ok":false,"error":...}.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = process.env;
const expect = JSON.parse(env.PULSE_EXPECT);
const result = { ok: false };
const userDataDir = mkdtempSync(join(tmpdir(), 'pulse-chromium-'));
// A fresh profile each run (playwright passes it to chromium as --user-data-dir).
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath: env.PULSE_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 1000 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = browser.pages()[0] || await browser.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  // Offline: anything but the service under test is refused, so a CDN link would break the page.
  await page.route('**/*', route => route.request().url().startsWith(env.PULSE_BASE) ? route.continue() : route.abort());
  await page.goto(`${env.PULSE_BASE}/dashboard/`);
  await page.fill('#project', env.PULSE_PROJECT);
  await page.fill('#key', env.PULSE_KEY);
  await page.fill('#event', expect.event);
  await page.click('#connect button');

  // The chart draws the API's numbers.
  await page.waitForFunction(() => window.Chart && Chart.getChart('trend'), null, { timeout: 15000 });
  await page.waitForFunction(total => {
    const data = Chart.getChart('trend').data.datasets[0].data;
    return data.reduce((a, b) => a + b, 0) === total;
  }, expect.events, { timeout: 15000 });
  result.chartEvents = await page.evaluate(() => Chart.getChart('trend').data.datasets[0].data.reduce((a, b) => a + b, 0));
  await page.waitForFunction(t => document.getElementById('total-persons').textContent === t, String(expect.persons));
  await page.waitForFunction(t => document.getElementById('live-persons').textContent === t, String(expect.livePersons));
  await page.waitForFunction(() => [...document.querySelectorAll('#top-path td')].some(td => td.textContent === '/pricing'),
    null, { timeout: 15000 });
  await page.waitForFunction(() => [...document.querySelectorAll('#top-country td')].some(td => td.textContent === 'FR'),
    null, { timeout: 15000 });
  result.topPaths = await page.$$eval('#top-path td:first-child', tds => tds.map(td => td.textContent));
  result.topCountries = await page.$$eval('#top-country td:first-child', tds => tds.map(td => td.textContent));

  // The breakdown picker redraws one series per value.
  await page.selectOption('#breakdown', 'country');
  await page.waitForFunction(() => Chart.getChart('trend').data.datasets.some(d => d.label === 'FR'), null, { timeout: 15000 });
  result.breakdownLabels = await page.evaluate(() => Chart.getChart('trend').data.datasets.map(d => d.label));

  // An event posted while the page is open shows in the live list.
  await page.waitForFunction(name => [...document.querySelectorAll('#live-list .name')].some(n => n.textContent === name),
    expect.liveEvent, { timeout: 15000 });
  await page.waitForFunction(name => [...document.querySelectorAll('#live-list .name')].some(n => n.textContent === name),
    expect.hostileEvent, { timeout: 15000 });
  result.liveNames = await page.$$eval('#live-list .name', ns => [...new Set(ns.map(n => n.textContent))]);
  result.xss = await page.evaluate(() => window.__xss === undefined ? 'none' : 'executed');
  result.pageErrors = errors;
  await page.screenshot({ path: env.PULSE_SCREENSHOT, fullPage: true });
  result.ok = true;
} catch (e) {
  result.error = String(e && e.message || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
