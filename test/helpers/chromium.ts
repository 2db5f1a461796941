/**
 * Headless Chromium for the page tests: the Debian `chromium` package driven by puppeteer-core over the DevTools
 * protocol (no browser download). `.ci/run` installs the package when it is missing.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';

const NAMES = ['chromium', 'chromium-browser'];

/** The browser to drive: `$CHROMIUM_PATH`, else the first of `chromium`, `chromium-browser` on PATH. */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH)
    return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of NAMES)
    for (const dir of dirs) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) return file;
    }
  return undefined;
}

/** One line, no stack: the browser is missing and how to install it. */
export function missingChromium(): Error {
  const where = process.env.CHROMIUM_PATH
    ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist`
    : `no ${NAMES.join(' or ')} on PATH, and CHROMIUM_PATH is not set`;
  const error = new Error(
    `headless Chromium not found (${where}); ` +
      'install it with: apt-get update && apt-get install -y chromium (.ci/run does this)',
  );
  error.stack = error.message;
  return error;
}

export function launchChromium(executablePath: string): Promise<Browser> {
  // Root in a container has no user namespace for Chromium's sandbox.
  return puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

/** What a page asked for beyond its own document, and what the browser refused or complained about while loading it. */
export interface PageProbe {
  readonly page: Page;
  /** Every request other than the page's own file: each is aborted, so nothing leaves the machine. */
  readonly requests: string[];
  /** Console errors and warnings, where Chromium reports Content-Security-Policy refusals. */
  readonly console: string[];
}

/**
 * Opens `file` at `viewport` with request interception on: the document itself loads, any other request is
 * recorded and aborted.
 */
export async function openPage(
  browser: Browser,
  file: string,
  viewport: { width: number; height: number },
): Promise<PageProbe> {
  const page = await browser.newPage();
  const url = `file://${path.resolve(file)}`;
  const requests: string[] = [];
  const messages: string[] = [];
  await page.setViewport(viewport);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    if (request.url() === url) return void request.continue();
    requests.push(request.url());
    void request.abort();
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn') messages.push(message.text());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, console: messages };
}

// The functions below run in the page. They are sent as source text: the project compiles without the DOM library,
// so that no Node code can use browser globals by mistake.

/** Addresses the DOM would load: src/href-like attributes and `url(...)` in style sheets and style attributes. */
export function externalReferences(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const found = [];
    const attributes = ['src', 'href', 'xlink:href', 'srcset', 'action', 'data', 'poster', 'background', 'formaction'];
    for (const element of document.querySelectorAll('*')) {
      for (const name of attributes) {
        const value = element.getAttribute(name);
        if (value !== null && !value.startsWith('#')) found.push(element.tagName.toLowerCase() + ' ' + name + '=' + value);
      }
      const style = element.getAttribute('style') || '';
      if (/url\\(/i.test(style)) found.push(element.tagName.toLowerCase() + ' style=' + style);
    }
    for (const sheet of document.styleSheets)
      for (const rule of sheet.cssRules)
        if (/url\\(|@import/i.test(rule.cssText)) found.push('css ' + rule.cssText);
    return found;
  })()`) as Promise<string[]>;
}

/** A rendered element's box in viewport coordinates. */
export interface Box {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
  readonly height: number;
}

/** The page as laid out: title, scroll position and width, the boxes of `selectors`, the `data-figure` texts shown. */
export interface PageShape {
  readonly title: string;
  readonly scrollY: number;
  readonly scrollWidth: number;
  readonly boxes: Record<string, Box | null>;
  readonly figures: Record<string, string>;
}

export function pageShape(page: Page, selectors: readonly string[]): Promise<PageShape> {
  return page.evaluate(`((selectors) => {
    const box = (selector) => {
      const element = document.querySelector(selector);
      if (!element) return null;
      const r = element.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height };
    };
    return {
      title: document.title,
      scrollY: window.scrollY,
      scrollWidth: document.documentElement.scrollWidth,
      boxes: Object.fromEntries(selectors.map((s) => [s, box(s)])),
      figures: Object.fromEntries(
        Array.from(document.querySelectorAll('[data-figure]')).map((e) => [e.getAttribute('data-figure'), e.innerText]),
      ),
    };
  })(${JSON.stringify(selectors)})`) as Promise<PageShape>;
}
