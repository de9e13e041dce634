// axe-core (Deque's rules engine) for the browser tests: WCAG 2.1 A and AA rules run on the page as it is shown.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** One entry per violation: the rule, its impact and the first elements it found, for the failure message. */
function describeViolations(violations) {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n${v.nodes
          .slice(0, 3)
          .map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`)
          .join('\n')}`,
    )
    .join('\n');
}

/**
 * Fails with every WCAG 2.1 A/AA violation axe finds on the page, named `name` in the message, with any icon its row
 * squeezes narrower than its glyph (a clipped icon), and when the page scrolls sideways; axe looks for neither of the
 * last two. axe is evaluated through the DevTools protocol, which the app's Content-Security-Policy (no inline
 * scripts) does not govern, so the page runs under its real policy.
 */
export async function expectAccessible(page, name) {
  // Animations finished, so that axe reads colours and positions as they settle; and the icon font loaded, without
  // which axe takes an icon's ligature ("visibility") for visible text that the button's name lacks.
  await page.evaluate(async () => {
    await document.fonts.load('24px "Material Icons"');
    await Promise.all([document.fonts.ready, ...document.getAnimations().map((a) => a.finished.catch(() => undefined))]);
  });
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (tags) => (await window.axe.run(document, { runOnly: tags })).violations, WCAG);
  assert.equal(violations.length, 0, `${name}:\n${describeViolations(violations)}`);
  // An icon's glyph is as wide as its font size; a flex row that shrinks the box cuts the glyph off.
  const squeezed = await page.evaluate(() =>
    [...document.querySelectorAll('.mat-icon')]
      .map((icon) => ({ icon, width: icon.getBoundingClientRect().width, size: parseFloat(getComputedStyle(icon).fontSize) }))
      .filter(({ icon, width, size }) => icon.getClientRects().length > 0 && width + 0.5 < size)
      .map(({ icon, width, size }) => `"${icon.textContent?.trim()}" ${width.toFixed(1)} px wide at ${size} px in ${icon.parentElement?.className}`),
  );
  assert.deepEqual(squeezed, [], `${name}: icons squeezed by their row`);
  // Reflow (WCAG 1.4.10, which axe leaves to people): the page never scrolls sideways; a wide table scrolls in a box of
  // its own.
  const sideways = await page.evaluate(() =>
    [document.scrollingElement, document.querySelector('mat-sidenav-content')]
      .filter((el) => el && el.scrollWidth > el.clientWidth + 1)
      .map((el) => `${el.tagName.toLowerCase()} is ${el.scrollWidth} px wide in ${el.clientWidth} px`),
  );
  assert.deepEqual(sideways, [], `${name}: the page scrolls sideways`);
}
