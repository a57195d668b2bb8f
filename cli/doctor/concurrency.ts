/**
 * Bounded concurrency: at most `limit` of `fn` in flight at once, results in input order. The
 * scan uses it so a cluster of 200 services is read by a few workers, not 200 bursts of calls
 * (which would throttle the account's ECS API for everyone, deployments included).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await fn(items[i], i);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
}
