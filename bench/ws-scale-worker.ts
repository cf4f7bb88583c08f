/**
 * One measurement of the scale benchmark, in a fresh process (forked by ./ws-scale.ts with
 * --expose-gc) so that memory figures start from a clean heap and no earlier run's JIT state or
 * garbage is counted: opens `count` clients of one kind against `url`, times until all are OPEN,
 * and measures resident memory per connection after a full collection.
 *
 *   argv: kind count url
 */
import { ClientHost, type ClientKind } from "./clients";
import { deferred, sleep, withTimeout } from "./wsCommon";

export interface ScaleSample {
  openMs: number;
  rssPerConnKiB: number;
  heapPerConnKiB: number;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("ws-scale-worker needs --expose-gc");
  gc();
  gc();
}

/**
 * One client opened and closed before the baseline is taken: what every connection of a kind shares
 * (the code compiled for its first connection, its classes' hidden maps) is a one-time cost, which
 * would otherwise be spread over the connections and weigh most at 1,000.
 */
async function warmUp(host: ClientHost, kind: ClientKind, url: string): Promise<void> {
  const opened = deferred();
  const client = host.create(kind, url, { open: () => opened.resolve() });
  await withTimeout(opened.promise, 10_000, `the warm-up ${kind} client opening`);
  client.close();
  await sleep(100);
}

async function measure(kind: ClientKind, count: number, url: string): Promise<ScaleSample> {
  const host = new ClientHost();
  if (kind === "scenetree") host.sceneTree(); // the tree is the application's, not a per-connection cost
  await warmUp(host, kind, url);
  collect();
  const before = process.memoryUsage();
  const all = deferred();
  let open = 0;
  const onOpen = (): void => {
    if (++open === count) all.resolve();
  };
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) host.create(kind, url, { open: onOpen });
  await withTimeout(all.promise, 120_000, `${count} ${kind} clients opening (${open} open)`);
  const openMs = Number(process.hrtime.bigint() - start) / 1e6;
  await sleep(100);
  collect();
  const after = process.memoryUsage();
  await host.dispose();
  return {
    openMs,
    rssPerConnKiB: (after.rss - before.rss) / 1024 / count,
    heapPerConnKiB: (after.heapUsed + after.external - before.heapUsed - before.external) / 1024 / count,
  };
}

if (require.main === module) {
  const [kind, count, url] = process.argv.slice(2);
  measure(kind as ClientKind, Number(count), url).then(
    (sample) => {
      process.send?.(sample);
      process.disconnect?.();
      setImmediate(() => process.exit(0));
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
