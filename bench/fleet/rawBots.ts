/**
 * The baseline of bench/fleet.ts: `count` raw `ws` clients in one process doing what the fleet's bots
 * do (send once a second, wait for the echo before the next send, stop after "quiet"), printing the
 * same totals. SCENETREE_BENCH_LOCAL_HOSTS spreads them over source addresses as the bots do.
 *
 *   argv: url count
 */
import WebSocket from "ws";
import { QUIET, localHost } from "./protocol";

const [url, countText] = process.argv.slice(2);
const count = Number(countText);
const localHosts = Number(process.env.SCENETREE_BENCH_LOCAL_HOSTS ?? 0);
const totals = { bots: 0, opened: 0, sent: 0, echoed: 0, late: 0 };
setInterval(() => console.log(JSON.stringify({ thread: 0, ...totals })), 1000);

function bot(index: number): void {
  const socket = new WebSocket(
    `${url}/bot/${index}`,
    localHosts > 0 ? { localAddress: localHost(index, localHosts) } : {},
  );
  let waiting = false;
  let quiet = false;
  let seq = 0;
  const tick = (): void => {
    if (socket.readyState !== WebSocket.OPEN || quiet) return;
    if (waiting) {
      totals.late++;
      return;
    }
    waiting = true;
    totals.sent++;
    socket.send(`${index}:${seq++}`);
  };
  socket.on("open", () => {
    totals.opened++;
    tick();
  });
  socket.on("message", (data: Buffer, isBinary) => {
    if (!isBinary && data.length === QUIET.length && data.toString() === QUIET) {
      quiet = true;
      return;
    }
    waiting = false;
    totals.echoed++;
  });
  socket.on("error", () => {});
  setInterval(tick, 1000);
  totals.bots++;
}

for (let i = 0; i < count; i++) bot(i);
process.on("SIGTERM", () => process.exit(0));
