import { MessageQueue } from "../../src/scene/MessageQueue";
import { GodotObject } from "../../src/scene/GodotObject";

describe("MessageQueue", () => {
  it("runs calls in order, including calls queued during the flush, and reports throws", () => {
    const reported: string[] = [];
    const queue = new MessageQueue({
      reportError: (_target, what, error) => reported.push(`${what}: ${(error as Error).message}`),
    });
    const seen: number[] = [];
    queue.push(null, "one", () => {
      seen.push(1);
      queue.push(null, "three", () => seen.push(3));
    });
    queue.push(null, "two", () => {
      throw new Error("bad");
    });
    queue.flush();
    expect(seen).toEqual([1, 3]);
    expect(reported).toEqual(["two: bad"]);
    expect(queue.size).toBe(0);
  });

  it("drops calls whose target was freed", () => {
    const queue = new MessageQueue({ reportError: () => undefined });
    const target = new GodotObject();
    let ran = false;
    queue.push(target, "call", () => (ran = true));
    target.free();
    queue.flush();
    expect(ran).toBe(false);
  });
});
