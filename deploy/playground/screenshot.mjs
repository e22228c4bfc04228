// Screenshots of a conversation with the bot in the Microsoft 365 Agents Playground, one PNG per step.
//
//   PLAYGROUND_URL=http://localhost:56150 node screenshot.mjs OUT_DIR
//
// Run by `make screenshots` (through run.sh, which starts the bot and the Playground and sets PLAYGROUND_URL).
// Needs a Chromium: CHROMIUM (default /usr/bin/chromium; on Debian `apt-get install chromium`).
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withBrowser } from './browser.mjs';

// Each step types a message, or presses the button with that label when the bot offered one (else types `say`).
// `choose: n` picks the n-th option of the last card with options, whatever its label (a dilemma is drawn at
// random), and sends it with that card's button labelled `press` (else its last button). `channel` posts `say` in
// that team channel; `chat` opens that chat first; `show` scrolls that text to the top before the screenshot.
// The answers walk an anonymous report through to its confirmation.
const STEPS = [
  // The welcome, then the code to read and sign: the screenshot starts at that card's title.
  { name: 'welkom', show: 'lezen en onderschrijven' },
  { name: 'help', say: 'help' },
  { name: 'geschenk-vraag', say: 'mag ik een fles wijn van een aannemer aannemen?' },
  // The welcome's example question: one the organisation's own code answers, so the answer card shows.
  { name: 'antwoord', press: 'Een journalist belt me', say: 'Een journalist belt me' },
  { name: 'dichtst-bij', say: 'mijn baas doet raar tegen mij' },
  { name: 'geen-antwoord', say: 'wanneer wordt mijn loon gestort?' },
  { name: 'melden', say: 'ik wil iets melden' },
  { name: 'melden-soort', press: 'Een schending van regels', say: '1' },
  { name: 'melden-identiteit', press: 'Anoniem', say: 'anoniem' },
  { name: 'melden-betrokken', press: 'Nee', say: 'nee' },
  { name: 'melden-wat', say: 'Een collega laat een aannemer voorgaan bij een openbare aanbesteding.' },
  { name: 'melden-wanneer', say: 'vorige week' },
  { name: 'melden-waar', say: 'dienst openbare werken' },
  { name: 'melden-bewijzen', press: 'Nee', say: 'nee' },
  { name: 'melden-verstuurd', press: 'Melding versturen', say: '1' },
  { name: 'vertrouwenspersoon', say: 'vertrouwenspersoon' },
  { name: 'geschenk', say: 'geschenk' },
  { name: 'kanaal-melden', channel: 'General', say: 'melden' },
  // A dilemma poll for the team (an Adaptive Card with Action.Execute): a vote, then the code's answer for everyone.
  { name: 'kanaal-dilemma', channel: 'General', say: 'dilemma' },
  { name: 'kanaal-dilemma-stem', choose: 2, press: 'Stem' },
  { name: 'kanaal-dilemma-antwoord', press: 'Toon het antwoord' },
  // Practising alone in the personal chat, once the flow still open there is stopped.
  { name: 'stoppen', chat: 'Personal Chat', say: 'stop' },
  { name: 'dilemma-alleen', say: 'dilemma' },
  { name: 'dilemma-alleen-antwoord', choose: 2 },
];

const QUIET_MS = 2000; // the bot has answered when nothing new appeared for this long
const TURN_TIMEOUT_MS = 20000;

function usage() {
  console.error('usage: PLAYGROUND_URL=http://localhost:56150 node screenshot.mjs OUT_DIR');
  process.exit(2);
}

/** The text as a regular expression that matches it literally. */
function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A cheap fingerprint of what the page shows; it changes whenever a message arrives. */
async function fingerprint(page) {
  return page.evaluate(() => `${document.body.innerText.length}:${document.getElementsByTagName('*').length}`);
}

/** Wait until the page changed from `before` and then stayed the same for QUIET_MS. */
async function settle(page, before) {
  const deadline = Date.now() + TURN_TIMEOUT_MS;
  let last = await fingerprint(page);
  let stableSince = Date.now();
  while (Date.now() < deadline) {
    await page.waitForTimeout(250);
    const now = await fingerprint(page);
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (now !== before && Date.now() - stableSince >= QUIET_MS) {
      return true;
    }
  }
  return false;
}

/** Type a message in the chat's compose box and send it with Enter. */
async function send(page, text) {
  await page.locator('[data-lexical-editor="true"]').last().click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/** Start a post in a Teams channel that @mentions the bot, as a channel member does, and post it. */
async function post(page, text) {
  await page.locator('[data-lexical-editor="true"]').first().click();
  await page.keyboard.type('@Integriteitsbot');
  await page.locator('#typeahead-menu [role="menuitem"]', { hasText: 'Integriteitsbot' }).first().click();
  await page.keyboard.type(` ${text}`);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
}

/**
 * Answer with a label the bot offered: press the last button with exactly that label, or pick the last radio
 * choice that starts with it and press the card's submit button. False when the bot offered neither.
 */
async function press(page, label) {
  const buttons = page.getByRole('button', { name: label, exact: true });
  for (let i = (await buttons.count()) - 1; i >= 0; i -= 1) {
    const button = buttons.nth(i);
    if ((await button.isVisible()) && (await button.isEnabled())) {
      await button.click();
      return true;
    }
  }
  const radios = page.getByRole('radio', { name: new RegExp(`^${escapeRegExp(label)}`) });
  const count = await radios.count();
  if (count === 0) return false;
  const radio = radios.nth(count - 1);
  await radio.check();
  // The submit button of the card that holds this choice set: the nearest enclosing element with a button.
  const card = radio.locator('xpath=ancestor::*[.//button][1]');
  await card.getByRole('button').last().click();
  return true;
}

/**
 * Pick the n-th option (from 1) of the last card with options on the page (in a chat the newest; a channel lists its
 * newest post first) and press that card's button labelled `label`, or its last button. False when there is none.
 */
async function choose(page, n, label) {
  const radios = page.getByRole('radio');
  const count = await radios.count();
  if (count === 0) return false;
  // The card: the nearest element around its last option that holds a button.
  const card = radios.nth(count - 1).locator('xpath=ancestor::*[.//button][1]');
  const buttons = label ? card.getByRole('button', { name: label, exact: true }) : card.getByRole('button');
  if ((await card.getByRole('radio').count()) < n || (await buttons.count()) === 0) return false;
  await card.getByRole('radio').nth(n - 1).check();
  await buttons.last().click();
  return true;
}

/** Do what a step asks; false when it asks to press or choose and the page offers nothing of the kind. */
async function act(page, step) {
  if (step.channel) {
    await post(page, step.say);
    return true;
  }
  if (step.choose) return choose(page, step.choose, step.press);
  if (step.press && (await press(page, step.press))) return true;
  if (step.say) await send(page, step.say);
  return Boolean(step.say) || !step.press;
}

/** Close the Playground's log panel, so the chat gets the width it has in Teams. */
async function closeLogPanel(page) {
  const title = page.getByText('Log Panel', { exact: true }).first();
  if (!(await title.isVisible().catch(() => false))) return;
  await title.locator('xpath=ancestor::*[.//button][1]').getByRole('button').last().click().catch(() => {});
}

async function main() {
  const out = process.argv[2];
  const url = process.env.PLAYGROUND_URL;
  if (!out || !url) usage();
  mkdirSync(resolve(out), { recursive: true });
  const problems = [];
  await withBrowser({ width: 1400, height: 1000 }, async (browser) => {
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.locator('[data-lexical-editor="true"]').first().waitFor({ timeout: 30000 });
    await closeLogPanel(page);
    let number = 0;
    for (const step of STEPS) {
      number += 1;
      if (step.channel || step.chat) {
        await page.getByRole('treeitem', { name: new RegExp(step.channel || step.chat) }).first().click();
        await page.waitForTimeout(1000);
      }
      const before = await fingerprint(page);
      if (!(await act(page, step))) {
        problems.push(`${step.name}: nothing to ${step.choose ? 'choose' : `press ('${step.press}')`}`);
      }
      const acts = step.say || step.press || step.choose;
      if (!(await settle(page, acts ? before : ''))) {
        problems.push(`${step.name}: no answer within ${TURN_TIMEOUT_MS / 1000} s`);
      }
      const shown = page.getByText(step.show ?? '').first();
      if (step.show && (await shown.count()) === 0) problems.push(`${step.name}: '${step.show}' is not on the page`);
      else if (step.show) {
        await shown.evaluate((element) => element.scrollIntoView({ block: 'start' }));
        await page.waitForTimeout(500);
      }
      const file = join(resolve(out), `${String(number).padStart(2, '0')}-${step.name}.png`);
      await page.screenshot({ path: file });
      console.log(file);
    }
  });
  for (const problem of problems) console.error(`warning: ${problem}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
