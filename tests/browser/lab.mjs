// coopsim lab in a real browser: Debian's headless Chromium, driven by playwright-core, moves the
// commission slider of scenarios/teaching/commission.yaml and checks that who-gets-what changes,
// that the map animates, pauses and follows its slider, that the page loads nothing from
// anywhere but the lab and that it logs no errors. Prints the
// time from moving the slider to the redrawn table (median of several moves).
// Usage: node lab.mjs COOPSIM_BINARY SOURCE_DIR
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {chromium} from 'playwright-core';

const [binary, source] = process.argv.slice(2);
const fail = (msg) => { console.error('browser test: FAILED: ' + msg); process.exitCode = 1; };

function startLab(tmp) {
  return new Promise((resolve, reject) => {
    const lab = spawn(binary, ['lab', join(source, 'scenarios/teaching/commission.yaml'),
      '--port', '0'], {env: {...process.env, TMPDIR: tmp}, stdio: ['ignore', 'pipe', 'inherit']});
    let out = '';
    const timer = setTimeout(() => reject(new Error('the lab printed no address')), 30000);
    lab.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); resolve({lab, url: m[0]}); }
    });
    lab.on('exit', (code) => reject(new Error('the lab exited with ' + code)));
  });
}

async function runs(page) {
  return Number(await page.evaluate(() => document.body.dataset.runs || '0'));
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'coopsim-browser-'));
  const profile = mkdtempSync(join(tmpdir(), 'coopsim-chromium-'));
  const {lab, url} = await startLab(tmp);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-proxy-server'],
  });
  const errors = [], outside = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.route('**/*', (route) => {
      if (route.request().url().startsWith(url)) return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset.runs === '1', null, {timeout: 30000});
    const table = () => page.locator('#table').innerText();
    const before = await table();
    if (!before.includes('Net per online hour')) fail('no who-gets-what table:\n' + before);
    const slider = page.locator('#control-0');
    const times = [], pageTimes = [];
    const values = ['20', '35', '5', '25', '15', '40', '30'];
    let last = before;
    for (const v of values) {
      const n = await runs(page);
      const t0 = Date.now();
      await slider.fill(v);
      await page.waitForFunction((k) => Number(document.body.dataset.runs) > k, n,
        {timeout: 30000});
      times.push(Date.now() - t0);
      pageTimes.push(Number(await page.evaluate(() => document.body.dataset.lastMs)));
      const now = await table();
      if (now === last) fail('the table did not change when the commission moved to ' + v + '%');
      last = now;
    }
    const compare = await page.locator('#compare').innerText();
    if (!compare.includes('before')) fail('no comparison with the previous run:\n' + compare);
    const charts = await page.locator('#charts svg').count();
    if (charts < 3) fail('expected at least 3 charts, found ' + charts);
    const shown = await page.locator('#control-0 + output').innerText();
    if (shown.trim() !== '30%') fail('the slider shows ' + shown + ', expected 30%');
    // the map: it animates (frames advance while playing), pauses, and the slider moves it
    await page.waitForSelector('#map-section:not([hidden])', {timeout: 30000});
    const frame = async () => Number(await page.evaluate(() => document.body.dataset.mapFrame));
    const f0 = await frame();
    await page.waitForFunction((k) => Number(document.body.dataset.mapFrame) !== k, f0,
      {timeout: 10000}).catch(() => fail('the map did not animate (frame stayed ' + f0 + ')'));
    const maps = await page.locator('#maps svg').count();
    if (maps !== 2) fail('expected one map per platform (2), found ' + maps);
    const dots = await page.locator('#maps svg circle').count();
    if (dots < 10) fail('expected drivers on the map, found ' + dots);
    await page.locator('#map-play').click();
    const paused = await frame();
    await page.waitForTimeout(600);
    if (await frame() !== paused) fail('the map kept moving after Pause');
    await page.locator('#map-time').fill('100');
    if (await frame() !== 100) fail('the time slider did not move the map to frame 100');
    const clock = await page.locator('#map-clock').innerText();
    if (!/^\d\d:\d\d$/.test(clock.trim())) fail('the map clock reads "' + clock + '"');
    if (process.env.COOPSIM_SCREENSHOT)
      await page.screenshot({path: process.env.COOPSIM_SCREENSHOT, fullPage: true});
    const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log('browser test: slider to redrawn table, ms, as the page measures it: ' +
      pageTimes.join(' ') + ' (median ' + median(pageTimes) + '); with the test driver\'s ' +
      'round trips: ' + times.join(' ') + ' (median ' + median(times) + ')');
  } finally {
    await context.close();
    lab.kill('SIGTERM');
    await new Promise((r) => lab.once('exit', r));
    rmSync(profile, {recursive: true, force: true});
    rmSync(tmp, {recursive: true, force: true});
  }
  if (errors.length) fail('the page logged errors:\n' + errors.join('\n'));
  if (outside.length) fail('the page asked for something outside the lab: ' + outside.join(' '));
  if (lab.exitCode !== 0) fail('the lab exited with ' + lab.exitCode + ' on SIGTERM');
  if (!process.exitCode) console.log('browser test: passed');
}

main().catch((e) => { fail(e.stack || String(e)); });
