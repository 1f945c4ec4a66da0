// A person at a browser, played by the system's Chromium through
// playwright-core (no browser download: CHROMIUM or /usr/bin/chromium).
//
//   node browser.mjs login URL OUT_DIR
//     Opens URL (tokenctl's start URL), signs in on the identity provider's
//     own login page as alice (TEST_BROWSER_PASSWORD overrides the
//     password) and writes where the browser ended up to OUT_DIR:
//     browser.visited (every page it requested, redirects included, one a
//     line) and
//     browser.page (the text of the last page).
//
//   node browser.mjs codes REDIRECT_URI AUTH_URL...
//     Signs in once, then opens each authorization URL and prints the
//     `code` (or `error=...`) the provider sends to REDIRECT_URI, one a
//     line. It listens on REDIRECT_URI's loopback port itself.
import http from 'node:http';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [mode, ...args] = process.argv.slice(2);
const password = process.env.TEST_BROWSER_PASSWORD ?? 'wonderland';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  timeout: 30000,
});
const done = (code) => browser.close().finally(() => process.exit(code));
setTimeout(() => {
  console.error('browser.mjs: gave up after 60s');
  done(1);
}, 60000).unref();

const context = await browser.newContext();
const page = await context.newPage();
page.setDefaultTimeout(30000);

// Fills the provider's login form when the page shows it.
async function signIn() {
  if (await page.locator('#password').count() === 0) return;
  await page.fill('#username', 'alice');
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('#submit')]);
}

try {
  if (mode === 'login') {
    const [url, out] = args;
    const visited = [];
    // Every page request, redirects included.
    page.on('request', (req) => {
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) visited.push(req.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    await signIn();
    writeFileSync(join(out, 'browser.visited'), `${visited.join('\n')}\n`);
    writeFileSync(join(out, 'browser.page'), await page.content());
    await done(0);
  } else if (mode === 'codes') {
    const [redirect, ...urls] = args;
    let seen;
    // Redirects cannot be intercepted in the page: answer them for real.
    const catcher = http.createServer((req, res) => {
      const url = new URL(req.url, redirect);
      // Not the favicon the browser asks for next.
      if (url.pathname === new URL(redirect).pathname) seen = url;
      res.setHeader('Content-Type', 'text/plain');
      res.end('code received');
    });
    catcher.listen(Number(new URL(redirect).port), '127.0.0.1');
    await once(catcher, 'listening');
    catcher.unref();
    for (const url of urls) {
      seen = undefined;
      await page.goto(url, { waitUntil: 'load' });
      await signIn();
      if (!seen) throw new Error(`no redirect to ${redirect}; the page says: ${(await page.textContent('body'))?.trim()}`);
      const code = seen.searchParams.get('code');
      console.log(code ?? `error=${seen.searchParams.get('error')}`);
    }
    await done(0);
  } else {
    console.error('usage: node browser.mjs login URL OUT_DIR | codes REDIRECT_URI AUTH_URL...');
    await done(2);
  }
} catch (err) {
  console.error(`browser.mjs: ${err.message}`);
  await done(1);
}
