import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags that keep Chromium from reaching for the network at start (closed networks refuse it, slowly). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * In CI a missing Chromium is a failure; on a developer's machine the browser test is skipped with a
 * notice saying how to get it.
 */
export function requireChromium(context: Mocha.Context): void {
  if (existsSync(CHROMIUM_PATH)) return;
  if (process.env.CI === 'true') throw new Error(`Chromium not found at ${CHROMIUM_PATH}; .ci/run installs it (apt-get install chromium)`);
  console.warn(
    `\n  [browser test skipped] Chromium not found at ${CHROMIUM_PATH}. Install it with: sudo apt-get install chromium\n  (or set CHROMIUM_PATH).\n`,
  );
  context.skip();
}
