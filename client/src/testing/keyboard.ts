/**
 * Moves keyboard focus to `target` the way Tab would reach it, and fails when Tab could not: the element is
 * disabled, taken out of the tab order (negative tabindex) or not focusable at all (a `<tr>`, a `<div>`).
 */
export function focusWithTab(target: HTMLElement): void {
  if (target.tabIndex < 0 || target.matches(':disabled')) throw new Error(`<${target.localName}> is not in the tab order`);
  target.focus();
  if (document.activeElement !== target) throw new Error(`<${target.localName}> cannot take keyboard focus`);
}

/**
 * Presses Enter or Space on the focused element. jsdom delivers the key events but not the activation a browser
 * gives native controls (a button clicks on Enter and on Space, a link follows on Enter), so that part is
 * done here for native controls only: a click handler on anything else stays unreachable, as in a browser.
 */
export function pressKey(target: HTMLElement, key: 'Enter' | ' '): void {
  if (document.activeElement !== target) throw new Error('keys go to the focused element: call focusWithTab first');
  const init = { key, code: key === ' ' ? 'Space' : 'Enter', bubbles: true, cancelable: true };
  const down = target.dispatchEvent(new KeyboardEvent('keydown', init));
  const up = target.dispatchEvent(new KeyboardEvent('keyup', init));
  const isButton = target instanceof HTMLButtonElement;
  const isLink = target instanceof HTMLAnchorElement && target.hasAttribute('href');
  if (key === 'Enter' && down && (isButton || isLink)) target.click();
  if (key === ' ' && up && isButton) target.click();
}
