/**
 * Polls `check` every `intervalMs` until it returns a truthy value, and returns that value; fails
 * after `timeoutMs`, naming what it waited for.
 */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000, intervalMs = 20): Promise<NonNullable<T>> {
  // performance.now(): a test that fakes Date still gets its timeout.
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
