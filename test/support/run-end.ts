/**
 * Clean-up that must wait for the whole run (servers shared by several spec files). Loaded by .mocharc.json
 * as a root hook plugin, so it runs once after the last test, whichever specs were selected.
 */
const tasks: (() => Promise<void>)[] = [];

export function atRunEnd(task: () => Promise<void>): void {
  tasks.push(task);
}

/** Runs (once) everything registered; scripts outside mocha call it when they finish. */
export async function runEndTasks(): Promise<void> {
  await Promise.allSettled(tasks.splice(0).map((task) => task()));
}

export const mochaHooks = { afterAll: runEndTasks };
