/**
 * replace.ts: `replaceBy` (Godot's `replace_by`) where owners are not what the tree shape says. Its
 * ordinary cases (place, children, groups, connections, unique names) are in test/scene/Node.replaceBy.test.ts.
 */
import { Node } from "../../../src/scene/Node";
import { owned, childNames as names } from "../../helpers/ownedNodes";

describe("replaceBy with owners a removal outside the tree kept", () => {
  test("replaceBy leaves a removed node it owned, or its own stale owner, unowned instead of failing", () => {
    const main = new Node("Main");
    const a = owned(main, main, "A");
    const gone = owned(a, a, "Gone");
    const kept = owned(a, a, "Kept");
    a.removeChild(gone); // still owned by A, no longer below it
    main.removeChild(a); // A keeps Main as its owner
    const by = new Node("By");
    a.replaceBy(by);
    expect([by.owner, kept.owner, gone.owner]).toEqual([null, by, null]);
    expect(names(by)).toEqual(["Kept"]);
    for (const node of [main, a, by, gone]) node.free();
  });
});
