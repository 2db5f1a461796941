// The report page in headless Chromium: it renders, the headline figures are in the first view of a laptop screen,
// nothing overflows sideways, and the page asks the network for nothing. Screenshots land in dist/screenshots/.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser } from 'puppeteer-core';
import { ENVIRONMENT_NAMES, loadEnvironment } from '../../config';
import { renderEnvironment } from '../../stacks/k8s';
import { buildReport, num, releaseServices, renderHtml, usd } from '../../stacks/report';
import {
  chromiumPath,
  externalReferences,
  launchChromium,
  missingChromium,
  openPage,
  pageShape,
} from '../helpers/chromium';
import { ROOT } from '../helpers/run-script';

const LAPTOPS = [
  { width: 1366, height: 768 },
  { width: 1440, height: 900 },
];
const SHOTS = path.join(ROOT, 'dist', 'screenshots');
const browserPath = chromiumPath();

/** The page `npm run report` writes for `envName`, in a scratch folder. */
function reportPage(envName: string, dir: string) {
  const env = loadEnvironment(envName);
  const report = buildReport(env, renderEnvironment(env), { helmServices: releaseServices(env) });
  const file = path.join(dir, `${envName}.html`);
  fs.writeFileSync(file, renderHtml(report));
  return { report, file };
}

if (!browserPath) {
  test('headless Chromium is installed', () => {
    throw missingChromium();
  });
} else {
  describe('the report page in headless Chromium', () => {
    let browser: Browser;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'report-page-'));
    beforeAll(async () => {
      browser = await launchChromium(browserPath);
      fs.mkdirSync(SHOTS, { recursive: true });
    });
    afterAll(async () => {
      await browser?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    describe.each(ENVIRONMENT_NAMES)('%s', (envName) => {
      const { report, file } = reportPage(envName, dir);

      test.each(LAPTOPS)(
        'at $width x $height: renders, the headline is above the fold, no sideways scroll',
        async (viewport) => {
          const { page } = await openPage(browser, file, viewport);
          const shape = await pageShape(page, ['#headline', '#day-timeline', '#week-grid']);
          const [headline, day, week] = ['#headline', '#day-timeline', '#week-grid'].map((s) => shape.boxes[s]);
          const png = path.join(SHOTS, `report-${envName}-${viewport.width}x${viewport.height}.png`);
          await page.screenshot({ path: png });
          await page.close();

          expect(shape.title).toBe(`Data plane report: ${envName}`);
          expect(shape.scrollY).toBe(0);
          expect(headline).not.toBeNull();
          expect(headline!.top).toBeGreaterThanOrEqual(0);
          expect(headline!.bottom).toBeLessThanOrEqual(viewport.height);
          expect(headline!.right).toBeLessThanOrEqual(viewport.width);
          expect(shape.scrollWidth).toBeLessThanOrEqual(viewport.width);
          // The timelines follow the headline and are drawn at a readable size.
          expect(day!.top).toBeGreaterThanOrEqual(headline!.bottom);
          expect(day!.height).toBeGreaterThan(100);
          expect(week!.height).toBeGreaterThan(100);
          // What the browser shows is the model's figures.
          expect(shape.figures['always-on-monthly']).toBe(usd(report.cost.monthly));
          expect(shape.figures['batch-cpu-hours']).toBe(num(report.budget.cpuHoursPerDay, 2));
          for (const t of report.tenantCosts) expect(shape.figures[`tenant-monthly:${t.tenant}`]).toBe(usd(t.monthly));
          const header = fs.readFileSync(png).subarray(0, 8);
          expect(header.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
        },
      );

      test('no request leaves the page: none attempted, none refused, nothing in the DOM to load', async () => {
        const probe = await openPage(browser, file, LAPTOPS[0]);
        const references = await externalReferences(probe.page);
        await probe.page.close();
        expect(probe.requests).toEqual([]);
        expect(probe.console).toEqual([]);
        expect(references).toEqual([]);
      });
    });

    describe('the checks themselves catch what they look for', () => {
      const { file } = reportPage('dev', dir);
      const html = fs.readFileSync(file, 'utf8');
      const variant = (name: string, text: string) => {
        const out = path.join(dir, name);
        fs.writeFileSync(out, text);
        return out;
      };
      const image = '<img src="http://127.0.0.1:9/pixel.png" alt="">';

      test('an external image is requested (and aborted) once the Content-Security-Policy is gone', async () => {
        const bare = variant(
          'no-csp.html',
          html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '').replace('<body>', `<body>${image}`),
        );
        const probe = await openPage(browser, bare, LAPTOPS[0]);
        const references = await externalReferences(probe.page);
        await probe.page.close();
        expect(probe.requests).toEqual(['http://127.0.0.1:9/pixel.png']);
        expect(references).toEqual(['img src=http://127.0.0.1:9/pixel.png']);
      });

      test('with the policy in place the browser refuses it and says so', async () => {
        const probe = await openPage(
          browser,
          variant('img.html', html.replace('<body>', `<body>${image}`)),
          LAPTOPS[0],
        );
        await probe.page.close();
        expect(probe.console.join('\n')).toMatch(/Content Security Policy/);
      });

      test('a headline pushed below the fold is measured there', async () => {
        const pushed = variant('pushed.html', html.replace('<body>', '<body><div style="height:800px"></div>'));
        const { page } = await openPage(browser, pushed, LAPTOPS[0]);
        const shape = await pageShape(page, ['#headline']);
        await page.close();
        expect(shape.boxes['#headline']!.bottom).toBeGreaterThan(LAPTOPS[0].height);
      });
    });
  });
}
