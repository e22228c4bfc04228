// Each Adaptive Card JSON in a folder rendered to a PNG next to it by Microsoft's own JS renderer (`adaptivecards`),
// 450 px wide, with a Teams-like light host config, in headless Chromium.
//
//   node render_cards.mjs [DIR]     (default /tmp/notification-cards)
//
// Run by `make cards`, after deploy/teams/sample_cards.py wrote the JSON. The page is built with setContent and the
// renderer's script and stylesheet are injected from node_modules; every network request is refused.
// Needs a Chromium: CHROMIUM (default /usr/bin/chromium).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { withBrowser } from './browser.mjs';

const WIDTH = 450;
const RENDERER = dirname(createRequire(import.meta.url).resolve('adaptivecards/package.json'));

// An approximation of Teams' light theme (font, text colours, spacing, up to 6 actions in a row); Teams' own
// host config ships with the Adaptive Cards Designer, which is not installed here.
const HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily: "'Segoe UI', 'Helvetica Neue', 'Liberation Sans', sans-serif",
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E1DFDD' },
  fontSizes: { small: 12, default: 14, medium: 16, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        dark: { default: '#242424', subtle: '#424242' },
        light: { default: '#FFFFFF', subtle: '#FAFAFA' },
        accent: { default: '#5B5FC7', subtle: '#7F85F5' },
        good: { default: '#107C10', subtle: '#54B054' },
        warning: { default: '#835B00', subtle: '#C19C00' },
        attention: { default: '#C4314B', subtle: '#D13438' },
      },
    },
    emphasis: {
      backgroundColor: '#F5F5F5',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
      },
    },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 16, style: 'emphasis' },
    actionsOrientation: 'horizontal',
    actionAlignment: 'stretch',
  },
  factSet: {
    title: { color: 'default', size: 'default', weight: 'bolder', wrap: true, maxWidth: 150 },
    value: { color: 'default', size: 'default', weight: 'default', wrap: true },
    spacing: 12,
  },
};

// The chat around the card, and Teams' neutral buttons instead of the renderer's blue-outlined ones.
const HOST_CSS = `
  body { margin: 0; padding: 16px; background: #F5F5F5; }
  #card { width: ${WIDTH}px; background: #FFFFFF; border: 1px solid #E0E0E0; border-radius: 6px; overflow: hidden; }
  .ac-pushButton { min-height: 32px; border: 1px solid #D1D1D1; border-radius: 4px; color: #242424;
    background: #FFFFFF; font-family: 'Segoe UI', 'Liberation Sans', sans-serif; }
  .ac-input { font-family: 'Segoe UI', 'Liberation Sans', sans-serif; font-size: 14px; border: 1px solid #D1D1D1;
    border-radius: 4px; padding: 6px 8px; }
`;

/** Render one card in the page; returns the renderer's parse and validation messages. */
function renderInPage({ card, hostConfig }) {
  const AC = window.AdaptiveCards;
  const adaptive = new AC.AdaptiveCard();
  adaptive.hostConfig = new AC.HostConfig(hostConfig);
  const context = new AC.SerializationContext();
  adaptive.parse(card, context);
  const messages = [];
  for (let i = 0; i < context.eventCount; i += 1) {
    const event = context.getEventAt(i);
    messages.push(`parse: ${event.message}`);
  }
  for (const event of adaptive.validateProperties().validationEvents) {
    messages.push(`validate: ${event.message}`);
  }
  const host = document.getElementById('card');
  host.replaceChildren();
  const element = adaptive.render();
  if (!element) messages.push('render: the renderer returned nothing');
  else host.appendChild(element);
  return messages;
}

async function main() {
  const dir = resolve(process.argv[2] || '/tmp/notification-cards');
  const names = readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
  if (names.length === 0) {
    console.error(`no *.json cards in ${dir}`);
    process.exit(2);
  }
  let problems = 0;
  await withBrowser({ width: WIDTH + 64, height: 800 }, async (browser) => {
    await browser.route('**/*', (route) => route.abort()); // nothing leaves the machine
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.on('pageerror', (error) => {
      problems += 1;
      console.error(`page error: ${error.message}`);
    });
    await page.setContent('<!doctype html><html lang="nl"><meta charset="utf-8"><div id="card"></div></html>');
    await page.addStyleTag({ path: join(RENDERER, 'dist', 'adaptivecards.css') });
    await page.addStyleTag({ content: HOST_CSS });
    await page.addScriptTag({ path: join(RENDERER, 'dist', 'adaptivecards.min.js') });
    for (const name of names) {
      const card = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      const messages = await page.evaluate(renderInPage, { card, hostConfig: HOST_CONFIG });
      for (const message of messages) console.error(`${name}: ${message}`);
      problems += messages.length;
      await page.evaluate(() => document.fonts.ready);
      const file = join(dir, name.replace(/\.json$/, '.png'));
      await page.locator('#card').screenshot({ path: file });
      console.log(file);
    }
  });
  if (problems) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
