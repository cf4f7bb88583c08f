import { cursorLabel, OutlineNode, resolveOutlinePath, suggestNodePath } from "../../src/loader/outline";
import { SuggestionBudget } from "../../src/loader/suggest";

/** Main { Clock, Part = instance of Sub { Inner, %Gun } }, Main owning its nodes and Sub its own. */
function scene() {
  const subRoot = new OutlineNode("Sub", null, null);
  const inner = new OutlineNode("Inner", null, subRoot);
  const gun = new OutlineNode("Gun", null, subRoot);
  for (const node of [inner, gun]) {
    subRoot.addChild(node);
    node.owner = subRoot;
  }
  gun.unique = true;
  subRoot.uniquesToFill().set("Gun", gun);

  const main = new OutlineNode("Main", null, null);
  const clock = new OutlineNode("Clock", null, main);
  const part = OutlineNode.view(subRoot, main);
  part.name = "Part";
  for (const node of [clock, part]) {
    main.addChild(node);
    node.owner = main;
  }
  clock.unique = true;
  main.uniquesToFill().set("Clock", clock);
  return { main, clock, part, subRoot, inner, gun };
}

describe("outline", () => {
  test("paths resolve as getNode will: children, .., through an instance into its sub-scene", () => {
    const { main, clock, inner } = scene();
    expect(resolveOutlinePath(main, "Clock")?.node).toBe(clock);
    expect(resolveOutlinePath(clock, "../Part/Inner")?.node).toBe(inner);
    expect(resolveOutlinePath(main, ".")?.node).toBe(main);
    expect(resolveOutlinePath(main, "Nope")).toBeNull();
    expect(resolveOutlinePath(main, "/root/Main")).toBeNull();
    expect(resolveOutlinePath(main, "Clock:prop")).toBeNull();
  });

  test("a cursor inside an instance is labelled through the instance", () => {
    const { main } = scene();
    const cursor = resolveOutlinePath(main, "Part/Inner")!;
    expect(cursor.mounts.map((m) => m.name)).toEqual(["Part"]);
    expect(cursorLabel(cursor)).toBe("Main/Part/Inner");
    expect(cursorLabel(resolveOutlinePath(main, "Part")!)).toBe("Main/Part");
  });

  test("%Name: the node's own scene's unique names, then its owner's", () => {
    const { main, clock, part, gun } = scene();
    expect(resolveOutlinePath(main, "%Clock")?.node).toBe(clock);
    expect(resolveOutlinePath(clock, "%Clock")?.node).toBe(clock);
    expect(resolveOutlinePath(part, "%Gun")?.node).toBe(gun);
    expect(resolveOutlinePath(main, "%Gun")).toBeNull();
  });

  test("an opaque instance (its sub-scene failed to load) may hold anything", () => {
    const main = new OutlineNode("Main", null, null);
    const broken = new OutlineNode("Broken", null, main);
    broken.opaque = true;
    main.addChild(broken);
    expect(resolveOutlinePath(main, "Broken/Any/Thing")?.node).toBe(broken);
  });

  test("hasChild and label see this file's children and the sub-scene's", () => {
    const { part, inner } = scene();
    expect(part.hasChild("Inner")).toBe(true);
    expect(part.hasChild("Outer")).toBe(false);
    expect(inner.label()).toBe("Sub/Inner");
  });

  test("suggestNodePath corrects up to two mistyped steps, and gives up on more", () => {
    const { main, clock } = scene();
    const budget = new SuggestionBudget();
    expect(suggestNodePath(main, "Clok", budget)).toBe("Clock");
    expect(suggestNodePath(clock, "../Prat/Iner", budget)).toBe("../Part/Inner");
    expect(suggestNodePath(main, "%Clck", budget)).toBe("%Clock");
    expect(suggestNodePath(main, "Prat/Iner/Xyzzy", budget)).toBeNull();
    expect(suggestNodePath(main, "Zzzzzzzz", budget)).toBeNull();
    expect(suggestNodePath(main, "Clok", new SuggestionBudget(0))).toBeNull();
  });
});
