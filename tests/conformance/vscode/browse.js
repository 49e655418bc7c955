// Opens code-server's workbench in headless Chromium (playwright-core, /usr/bin/chromium), so that
// the extension host starts and the helper extension runs its job; waits until the job's output
// says done (or the timeout), then closes the browser. Env: CS_URL, WS, OUT (the job's output),
// TIMEOUT_MS, PROFILE (a fresh directory for Chromium's profile).
const { chromium } = require('playwright-core');
const fs = require('fs');
const BASE = process.env.CS_URL; const WS = process.env.WS; const OUT = process.env.OUT;
const T = Number(process.env.TIMEOUT_MS || 600000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const done = () => { try { return JSON.parse(fs.readFileSync(OUT, 'utf8')).done === true; } catch { return false; } };
(async () => {
  const ctx = await chromium.launchPersistentContext(process.env.PROFILE, {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1600, height: 1000 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-renderer-backgrounding', '--disable-background-timer-throttling'],
  });
  let rc = 1;
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    page.on('pageerror', (e) => console.log('pageerror:', String(e).slice(0, 200)));
    await page.goto(`${BASE}/?folder=${encodeURIComponent(WS)}`, { waitUntil: 'domcontentloaded', timeout: 120000 });
    const t0 = Date.now();
    while (Date.now() - t0 < T) { if (done()) { rc = 0; break; } await sleep(250); }
    if (rc) { console.log('timeout waiting for', OUT); await page.screenshot({ path: OUT + '.timeout.png' }).catch(() => {}); }
  } catch (e) {
    console.log('browse error:', String(e && e.message || e).split('\n')[0]);
  } finally {
    await ctx.close().catch(() => {});
    process.exit(rc);
  }
})();
