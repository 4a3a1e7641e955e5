/**
 * Polls `check` every `intervalMs` until it returns a truthy value, and returns that value; fails
 * after `timeoutMs`, naming what it waited for.
 */
export async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000, intervalMs = 20): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
