/**
 * The baseline of bench/fleet.ts: `count` raw `ws` clients in one process doing what the fleet's bots
 * do (send once a second, wait for the echo before the next send), printing the same totals.
 *
 *   argv: url count
 */
import WebSocket from "ws";

const [url, countText] = process.argv.slice(2);
const count = Number(countText);
const totals = { bots: 0, opened: 0, sent: 0, echoed: 0, late: 0 };
setInterval(() => console.log(JSON.stringify({ thread: 0, ...totals })), 1000);

function bot(index: number): void {
  const socket = new WebSocket(`${url}/bot/${index}`);
  let waiting = false;
  let seq = 0;
  const tick = (): void => {
    if (socket.readyState !== WebSocket.OPEN) return;
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
  socket.on("message", () => {
    waiting = false;
    totals.echoed++;
  });
  socket.on("error", () => {});
  setInterval(tick, 1000);
  totals.bots++;
}

for (let i = 0; i < count; i++) bot(i);
process.on("SIGTERM", () => process.exit(0));
