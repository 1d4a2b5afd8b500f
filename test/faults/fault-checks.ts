import type { ProjectionRunner } from '../../src/projection/projection-runner.js';

/** Runs every projection and process manager until a whole round applies nothing (process managers append). */
export async function catchUpEverything(projections: ProjectionRunner): Promise<void> {
  for (;;) {
    let applied = 0;
    for (const name of projections.names) applied += await projections.catchUp(name);
    if (applied === 0) return;
  }
}

/** Polls until every projection has read the whole log with no error pending, or the time is up. */
export async function waitUntilCaughtUp(projections: ProjectionRunner, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await projections.status();
    const behind = status.filter((projection) => projection.lag > 0 || projection.lastError !== null);
    if (behind.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`projections not caught up after ${timeoutMs} ms: ${behind.map((projection) => `${projection.name} lag ${projection.lag} ${projection.lastError ?? ''}`).join('; ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
