// Headless Chromium for the developer tools here (screenshot.mjs, render_cards.mjs): the flags that work on this
// kind of machine, and a fresh profile for every run that is removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

// Without the background-networking flags Chromium keeps calling hosts this closed network refuses.
const BROWSER_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Run `work(browser)` in a Chromium with a throwaway profile (CHROMIUM, default /usr/bin/chromium). */
export async function withBrowser(viewport, work) {
  const profile = mkdtempSync(join(tmpdir(), 'integriteitsbot-chromium-'));
  // playwright passes the profile folder as --user-data-dir.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: BROWSER_FLAGS,
    viewport,
    locale: 'nl-BE',
  });
  try {
    return await work(browser);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
