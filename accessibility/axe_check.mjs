// Each digest page given, at a phone's width and a desktop's, through axe-core's WCAG 2.1
// A and AA rules and its best practice, in headless Chromium (CHROMIUM, or
// /usr/bin/chromium), every collapsed part opened first. Exits 1 on any violation, or if
// a page is wider than the phone's screen.
import fs from 'node:fs';
import puppeteer from 'puppeteer-core';

const axe = fs.readFileSync(new URL('./node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless=new'],
});
let failed = false;
for (const file of process.argv.slice(2)) {
  for (const [width, height] of [[375, 800], [1280, 900]]) {
    const page = await browser.newPage();
    await page.setViewport({ width, height });
    await page.goto('file://' + fs.realpathSync(file));
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    await page.evaluate(axe);
    const found = await page.evaluate(() => axe.run(document, {
      runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
    const wider = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    console.log(`${file} at ${width} px: ${found.violations.length} violations, ` +
                `${found.passes.length} rules passed, ${wider > 0 ? wider + ' px too wide' : 'fits'}`);
    for (const v of found.violations) {
      console.log(`  ${v.id} (${v.impact}): ${v.help}; ${v.nodes.length} places, such as ` +
                  v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join('; '));
    }
    failed ||= found.violations.length > 0 || wider > 0;
    await page.close();
  }
}
await browser.close();
process.exit(failed ? 1 : 0);
