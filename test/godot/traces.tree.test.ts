/**
 * More scenarios against traces recorded from Godot 3.2.3 (see traces.test.ts and
 * test/fixtures/godot3/scripts/README.md), about the tree's shape: move_child, renames, nodes removed,
 * freed and re-added from other nodes' callbacks, the tree's and the nodes' signals, changes from
 * leaving nodes, scene changes, group order, processing set up at ready. Each scenario mirrors
 * test/fixtures/godot3/scripts/<s>.gd; traces.frame.test.ts has the ones about what happens within frames.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Node } from "../../src/scene/Node";
import {
  FIXTURES,
  Member,
  Proc,
  Rec,
  fixture,
  godot4TreeExitedOrder,
  newTree,
  quiet,
  runUntilQuit,
} from "./godot3Trace";

describe("Godot 3.2.3 traces: the tree's shape", () => {
  describe("move_child", () => {
    it("moves a child, keeping the frame's process order until the next frame", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      let orderChanged = 0;
      let movesSeen = 0;
      main.on("childOrderChanged", () => orderChanged++);
      for (const n of ["A", "B", "C"]) {
        const node = new Member(n, t);
        node.notes = true;
        main.addChild(node);
      }
      tree.root.addChild(main);
      orderChanged = 0;
      const order = () =>
        t.out(
          `order ${main
            .getChildren()
            .map((c) => `${c.name}${c.getIndex()}`)
            .join(",")}`,
        );
      (main.getNode("A") as Member).hook("process", (a) => {
        if (t.frame !== 2) return;
        t.out("-- move A to 2");
        main.moveChild(a, 2);
        order();
      });
      tree.on("processFrame", () => {
        const f = t.frame;
        if (f === 1) {
          t.out("-- move C to 0");
          main.moveChild(main.getNode("C"), 0);
          order();
        } else if (f === 3) {
          t.out("-- move B to 1");
          main.moveChild(main.getNode("B"), 1);
          order();
        } else if (f === 4) {
          movesSeen = orderChanged;
          t.out("-- quit@4");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      // Godot 3 sends NOTIFICATION_MOVED_IN_PARENT to every child whose index changed; Godot 4 never
      // sends it: Node::_move_child ends with `notification(NOTIFICATION_CHILD_ORDER_CHANGED);
      // emit_signal(SNAME("child_order_changed"));` on the parent (scene/main/node.cpp), and returns
      // early, telling nobody, when the index is unchanged (`if (p_child->data.index == p_index) return;`).
      //
      // Teardown: Godot 3 exits children by index, last first (A, B, C after the moves). Godot 4's
      // Node::_propagate_exit_tree walks `data.children` from `data.children.last()`: that HashMap keeps
      // insertion order, which move_child does not touch (it changes `data.index` and the children
      // cache only), so the children leave in reverse order of being added: C, B, A.
      const recorded = fixture("move_child").filter((line) => !line.includes(":moved@"));
      const teardown = ["A:exit", "B:exit", "C:exit"];
      const at = recorded.indexOf("A:exit");
      expect(recorded.slice(at, at + 3)).toEqual(teardown);
      recorded.splice(at, 3, ...teardown.slice().reverse());
      expect(t.lines).toEqual(recorded);
      expect(movesSeen).toBe(2); // the move to the same index told nobody
    });
  });

  describe("rename", () => {
    it("renames in the tree: PATH_RENAMED down the subtree, then renamed and the tree's nodeRenamed", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      const m = (name: string) => {
        const node = quiet(name, t);
        node.notes = true;
        return node;
      };
      main.addChild(m("A"));
      const b = m("B");
      b.on("renamed", () => t.out(`${b.name}:renamedSignal`));
      b.addChild(m("B1"));
      main.addChild(b);
      tree.root.addChild(main);
      tree.on("nodeRenamed", (node) => t.out(`tree:nodeRenamed(${node.name})`));
      const names = () =>
        t.out(
          `names ${main
            .getChildren()
            .map((c) => c.name)
            .join(",")}`,
        );
      tree.on("processFrame", () => {
        const f = t.frame;
        if (f === 1) {
          t.out("-- B.name = Bx");
          b.name = "Bx";
          names();
          t.out("-- B.name = Bx again");
          b.name = "Bx";
          names();
          t.out("-- B.name = A");
          b.name = "A";
          names();
          t.out("-- add A");
          main.addChild(new Rec("A", t));
          names();
          t.out("-- add A readable");
          main.addChild(new Rec("A", t), true);
          names();
        } else if (f === 2) {
          t.out("-- quit@2");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      // Names: Godot 4's Node::set_name validates with `_validate_child_name(this, true)` (the readable
      // scheme: "A" taken → "A2"), where Godot 3's set_name used the fast one ("@A@2"); so the node
      // added later with readable names gets "A3". A clashing add_child without readable names gets
      // Godot 4's `"@" + get_class_name() + "@" + node_hrcr_count` (a process-wide serial); ours is
      // `@Class@N` with a per-parent serial and the TypeScript class name (kept: deterministic), so
      // both are written `@Class@N` here.
      const fast = (line: string) => line.replace(/@\w+@\d+/g, "@Class@N");
      //
      // Setting the name B already has: Godot 3 and Godot 4 (Node::set_name has no early return) send
      // PATH_RENAMED down the subtree and emit renamed and node_renamed again. scenetree does nothing,
      // a deliberate difference (README, "Deliberate differences from Godot"): those four lines go.
      const recorded = fixture("rename");
      const again = recorded.indexOf("-- B.name = Bx again");
      expect(recorded.slice(again + 1, again + 5)).toEqual([
        "Bx:pathChanged@1",
        "B1:pathChanged@1",
        "Bx:renamedSignal",
        "tree:nodeRenamed(Bx)",
      ]);
      recorded.splice(again + 1, 4);
      const godot4 = recorded.map((line) => fast(line.replace(/\bA2\b/g, "A3").replace(/@A@2/g, "A2")));
      expect(t.lines.map(fast)).toEqual(godot4TreeExitedOrder(godot4));
    });
  });

  describe("remove_in_process", () => {
    it("removes, frees and re-adds nodes from other nodes' callbacks, mid-frame", () => {
      const { tree, t } = newTree();
      const errors: string[] = [];
      const main = new Rec("Main", t);
      main.hook("ready", (node) => {
        const x = node.getNode("X");
        node.removeChild(x);
        t.out("Main:removed X");
        x.queueFree();
      });
      main.addChild(new Rec("X", t, true));
      main.addChild(
        new Proc("Y", t, true).hook("ready", (y) => {
          y.queueFree();
          t.out("Y:queued");
        }),
      );
      const b = new Proc("B", t, true);
      const a = new Proc("A", t)
        .hook("ready", () => {
          try {
            main.removeChild(b);
          } catch (error) {
            errors.push((error as Error).message);
          }
          t.out(`A:remove_child(B) ${b.getParent() ? "failed" : "ok"}`);
        })
        .hook("process", () => {
          if (t.frame === 1) {
            main.removeChild(b);
            t.out("A:removed B");
          } else if (t.frame === 3) {
            main.getNode("E").free();
            t.out("A:freed E");
          }
        });
      main.addChild(a);
      main.addChild(b);
      const c = new Proc("C", t, true)
        .hook("process", () => {
          if (t.frame === 1) {
            main.addChild(b);
            t.out("C:added B");
          } else if (t.frame === 4) {
            main.removeChild(a);
            main.removeChild(c);
            t.out("C:removed A and C");
          }
        })
        .hook("physics", () => {
          if (t.frame !== 2) return;
          main.getNode("D").queueFree();
          t.out("C:queued D");
        });
      main.addChild(c);
      main.addChild(new Proc("D", t, true));
      main.addChild(new Proc("E", t, true));
      tree.root.addChild(main);
      tree.on("processFrame", () => {
        if (t.frame === 5) {
          t.out("-- add A, C@5");
          main.addChild(a);
          main.addChild(c);
        } else if (t.frame === 6) {
          t.out("-- quit@6");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      expect(t.lines).toEqual(godot4TreeExitedOrder(fixture("remove_in_process")));
      // Godot 3.2: "Parent node is busy setting up children, remove_node() failed."; Godot 4:
      // "Parent node is busy adding/removing children, `remove_child()` can't be called at this time."
      const godotError = readFileSync(join(FIXTURES, "remove_in_process.stderr.txt"), "utf8");
      expect(godotError).toMatch(/remove_child: Parent node is busy/);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/Parent node is busy/);
    });
  });

  describe("tree_signals", () => {
    function build(): string[] {
      const { tree, t } = newTree();
      let listening = false;
      const r = (name: string) => {
        const node = new Rec(name, t);
        for (const s of ["treeEntered", "treeExiting", "treeExited", "ready"] as const) {
          const godot = {
            treeEntered: "tree_entered",
            treeExiting: "tree_exiting",
            treeExited: "tree_exited",
            ready: "ready",
          }[s];
          node.on(s, () => t.out(`${node.name}:${godot} in=${node.isInsideTree() ? "True" : "False"}`));
        }
        return node;
      };
      const treeSig = (what: string) => (node: Node) => {
        if (listening) t.out(`tree:${what}(${node.name}) in=${node.isInsideTree() ? "True" : "False"}`);
      };
      tree.on("nodeAdded", treeSig("nodeAdded"));
      tree.on("nodeRemoved", treeSig("nodeRemoved"));
      tree.on("nodeRenamed", treeSig("nodeRenamed"));
      tree.on("treeChanged", () => {
        if (listening) t.out("tree:treeChanged");
      });
      const main = r("Main");
      // Godot 4's signals on the parent, which Godot 3.2 does not have (the expected lines are derived below).
      const inTree = (node: Node) => (node.isInsideTree() ? "True" : "False");
      main.on("childEnteredTree", (node) => {
        if (listening) t.out(`Main:childEnteredTree(${node.name}) in=${inTree(node)}`);
      });
      main.on("childExitingTree", (node) => {
        if (listening) t.out(`Main:childExitingTree(${node.name}) in=${inTree(node)}`);
      });
      main.on("childOrderChanged", () => {
        if (listening) t.out("Main:childOrderChanged");
      });
      const a = r("A");
      a.addChild(r("A1"));
      main.addChild(a);
      const b = r("B");
      main.addChild(b);
      const c = r("C");
      c.addChild(r("C1"));
      tree.root.addChild(main);
      listening = true;
      tree.on("processFrame", () => {
        const f = t.frame;
        if (f === 1) {
          t.out("-- add C");
          main.addChild(c);
          t.out("-- move C to 0");
          main.moveChild(c, 0);
          t.out("-- rename C");
          c.name = "Cx";
        } else if (f === 2) {
          t.out("-- remove A");
          main.removeChild(a);
          a.requestReady();
          a.getNode("A1").requestReady();
          t.out("-- add A");
          main.addChild(a);
        } else if (f === 3) {
          t.out("-- B.queue_free");
          b.queueFree();
        } else if (f === 4) {
          t.out("-- free Main");
          main.free();
          t.out("-- freed Main");
          listening = false;
          tree.quit();
        }
      });
      runUntilQuit(tree);
      return t.lines;
    }

    /**
     * Godot 4's child_entered_tree, child_exiting_tree and child_order_changed, inserted where Godot 4
     * emits them (scene/main/node.cpp): `_propagate_enter_tree` emits child_entered_tree on the parent
     * right after `data.tree->node_added(this)`; `_propagate_exit_tree` emits child_exiting_tree right
     * after `data.tree->node_removed(this)` (before its tree_changed); `_add_child_nocheck` emits
     * child_order_changed after `_set_tree` (so after the readies and the add's tree_changed);
     * `remove_child` emits it after `_set_tree(nullptr)` and before `_propagate_after_exit_tree` (the
     * tree_exited run); `_move_child` after its tree_changed. Freeing Main (NOTIFICATION_PREDELETE) makes
     * root remove it, then deletes its children (`memdelete(data.children.last()->value)` until none
     * are left), each of which `remove_child`s itself from Main: one child_order_changed each (Cx and
     * A), after Main's tree_exited and with nothing else, since Main is out of the tree by then.
     */
    function godot4ChildSignals(lines: string[]): string[] {
      const out: string[] = [];
      let pending: string | null = null; // childOrderChanged due after the next tree:treeChanged
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const removed = /^tree:nodeRemoved\((A|B|Cx)\) in=True$/.exec(line);
        // remove_child's child_order_changed comes before the first tree_exited of the removed subtree.
        if (
          removed === null &&
          / in=False$/.test(line) &&
          line.includes(":tree_exited") &&
          pending === "remove"
        ) {
          out.push("Main:childOrderChanged");
          pending = null;
        }
        out.push(line);
        if (line === "Main:tree_exited in=False")
          out.push("Main:childOrderChanged", "Main:childOrderChanged");
        const added = /^tree:nodeAdded\((A|B|C)\) in=True$/.exec(line);
        if (added) {
          out.push(`Main:childEnteredTree(${added[1]}) in=True`);
          pending = "add";
        } else if (removed) {
          out.push(`Main:childExitingTree(${removed[1]}) in=True`);
          if (lines.indexOf("-- free Main") > i || lines.indexOf("-- free Main") < 0) pending = "remove";
        } else if (line === "-- move C to 0") {
          pending = "move";
        } else if (line === "tree:treeChanged" && (pending === "add" || pending === "move")) {
          const nextIsChild = /^(A1|C1):/.test(lines[i + 1] ?? "");
          if (!nextIsChild) {
            out.push("Main:childOrderChanged");
            pending = null;
          }
        }
      }
      return out;
    }

    it("emits the tree's and the nodes' signals in Godot's order, and childOrderChanged etc. where Godot 4 does", () => {
      // godot4TreeExitedOrder reads the usual `X:treeExiting` / `X:treeExited` lines: map to them and back.
      const toUsual = (line: string) =>
        line
          .replace(/^(\w+):tree_exiting in=True$/, "$1:treeExiting")
          .replace(/^(\w+):tree_exited in=False$/, "$1:treeExited");
      const fromUsual = (line: string) =>
        line
          .replace(/^(\w+):treeExiting$/, "$1:tree_exiting in=True")
          .replace(/^(\w+):treeExited$/, "$1:tree_exited in=False");
      const expected = godot4TreeExitedOrder(godot4ChildSignals(fixture("tree_signals")).map(toUsual)).map(
        fromUsual,
      );
      expect(build()).toEqual(expected);
    });
  });

  describe("exit_edges", () => {
    it("refuses changes to a parent whose children are leaving, and leaves a child added to a gone node outside", () => {
      const { tree, t } = newTree();
      const errors: string[] = [];
      const main = new Rec("Main", t, true);
      main.addChild(new Rec("A", t, true));
      main.addChild(
        new Rec("B", t, true).hook("exit", () => {
          if (t.frame !== 1) return;
          const a = main.getNode("A");
          try {
            main.removeChild(a);
          } catch (error) {
            errors.push((error as Error).message);
          }
          t.out(`B:remove_child(A) ${a.getParent() ? "failed" : "ok"}`);
          const x = new Rec("X", t, true);
          try {
            main.addChild(x);
          } catch (error) {
            errors.push((error as Error).message);
          }
          t.out(`B:add_child(X) ${x.getParent() ? "ok" : "failed"}`);
          if (!x.getParent()) x.free();
          a.queueFree();
          t.out("B:queued A");
        }),
      );
      const c = new Rec("C", t, true);
      c.on("treeExited", () => {
        if (t.frame !== 1) return;
        c.addChild(new Rec("Y", t, true));
        t.out(`C:added Y, Y in=${c.getNode("Y").isInsideTree() ? "True" : "False"}`);
      });
      main.addChild(c);
      tree.root.addChild(main);
      tree.on("processFrame", () => {
        const f = t.frame;
        if (f === 1) {
          t.out("-- remove Main");
          tree.root.removeChild(main);
          t.out("-- removed Main");
        } else if (f === 2) {
          t.out("-- add Main");
          tree.root.addChild(main);
          t.out("-- added Main");
        } else if (f === 3) {
          t.out("-- free Main");
          main.free();
          t.out("-- quit@3");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      // C has two tree_exited connections: rec.gd's (printing "C:treeExited"), then the scenario's
      // (adding Y). Godot 3 runs a signal's connections in order of target object id (Object's
      // `VMap<Signal::Target, Signal::Slot>`), and the SceneTree script, the scenario's target, is older
      // than C; Godot 4 keeps them in a HashMap, which iterates in insertion order (Object::emit_signalp),
      // so C's own line comes first. Then the usual tree_exited order.
      const recorded = fixture("exit_edges");
      const added = recorded.indexOf("C:added Y, Y in=False");
      expect(recorded[added + 1]).toBe("C:treeExited");
      recorded.splice(added, 2, "C:treeExited", "C:added Y, Y in=False");
      const exitedRun = godot4TreeExitedOrder(recorded.filter((line) => !line.startsWith("C:added Y")));
      // The treeExited run is reordered without the added line; put it back right after C's.
      exitedRun.splice(exitedRun.indexOf("C:treeExited") + 1, 0, "C:added Y, Y in=False");
      expect(t.lines).toEqual(exitedRun);
      // Godot 3.2 says "Parent node is busy setting up children" for both (exit_edges.stderr.txt);
      // Godot 4's remove_child says "Parent node is busy adding/removing children".
      const godotErrors = readFileSync(join(FIXTURES, "exit_edges.stderr.txt"), "utf8");
      expect(godotErrors).toMatch(/remove_child: Parent node is busy/);
      expect(godotErrors).toMatch(/add_child: Parent node is busy/);
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatch(/Parent node is busy/);
      expect(errors[1]).toMatch(/Parent node is busy/);
    });
  });

  describe("change_scene", () => {
    it("takes the old scene out at once and adds the new one after the frame's process pass, as Godot 4", () => {
      const { tree, t } = newTree();
      // Godot 4's change_scene_to_packed is `instantiate()` and then change_scene_to_node: the scenes are
      // built here as the PackedScenes would build them (proc.gd nodes, no hooks).
      const scene = (top: string, child: string) => {
        const node = new Proc(top, t);
        node.addChild(new Proc(child, t));
        return node;
      };
      const current = () => t.out(`current=${tree.currentScene ? tree.currentScene.name : "null"}`);
      const old = new Rec("Old", t);
      old.addChild(new Proc("O1", t));
      old.addChild(
        new Proc("O2", t).hook("process", () => {
          if (t.frame !== 1) return;
          t.out("-- change to New");
          tree.changeSceneToNode(scene("New", "N1"));
          current();
        }),
      );
      tree.root.addChild(old);
      tree.currentScene = old;
      tree.on("physicsFrame", () => t.out(`tree:physicsFrame@${t.frame}`));
      tree.on("processFrame", () => {
        const f = t.frame;
        t.out(`tree:processFrame@${f}`);
        if (f === 2 || f === 4) current();
        else if (f === 3) {
          t.out("-- change to Third");
          tree.changeSceneToNode(scene("Third", "T1"));
          current();
        } else if (f === 5) {
          t.out("-- quit@5");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      // Godot 3's change_scene_to defers `_change_scene` (call_deferred): the old scene stays current
      // until the next flush, where it is freed and the new one added. Godot 4's change_scene_to_node
      // removes the current scene at once (`current_scene->get_parent()->remove_child(current_scene);
      // current_scene = nullptr;`, freed later) and adds the new one in SceneTree::process's
      // `_flush_scene_change()`, after `_process(false)`, `_flush_ugc()` and the message-queue flush
      // (scene/main/scene_tree.cpp). So in Godot 4 the old scene's exit lines come right at the call,
      // the current scene reads null until the new one is added, and a change made from process_frame
      // adds the new scene after that frame's process pass: Third does not process on frame 3.
      const recorded = fixture("change_scene");
      const godot4 = recorded.slice();
      const exits = (at: number, count: number) => godot4.splice(at, count);
      let at = godot4.indexOf("-- change to New");
      expect(godot4[at + 1]).toBe("current=Old");
      godot4.splice(at + 1, 0, ...exits(at + 2, 3)); // O2:exit, O1:exit, Old:exit
      godot4[at + 4] = "current=null";
      at = godot4.indexOf("-- change to Third");
      expect(godot4[at + 1]).toBe("current=New");
      godot4.splice(at + 1, 0, ...exits(at + 2, 2)); // N1:exit, New:exit
      godot4[at + 3] = "current=null";
      const expected = godot4.filter((line) => line !== "Third:process@3" && line !== "T1:process@3");
      expect(expected.length).toBe(recorded.length - 2);
      expect(t.lines).toEqual(godot4TreeExitedOrder(expected));
    });
  });

  describe("group_order", () => {
    it("calls a group in tree order after a move, also when only descendants of the moved node are members", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      for (const n of ["A", "B"]) {
        const top = quiet(n, t);
        top.addToGroup("tops");
        const kid = quiet(`${n}1`, t);
        kid.addToGroup("kids");
        top.addChild(kid);
        main.addChild(top);
      }
      tree.root.addChild(main);
      const calls = (tag: string) => {
        tree.callGroup("kids", "hit", tag);
        tree.callGroup("tops", "hit", tag);
      };
      tree.on("processFrame", () => {
        if (t.frame === 1) {
          t.out("-- before");
          calls("before");
          t.out("-- move B to 0");
          main.moveChild(main.getNode("B"), 0);
          calls("moved");
          t.out("-- add C at 0");
          const c = quiet("C", t);
          c.addToGroup("tops");
          const c1 = quiet("C1", t);
          c1.addToGroup("kids");
          c.addChild(c1);
          main.addChild(c);
          main.moveChild(c, 0);
          calls("added");
        } else if (t.frame === 2) {
          t.out("-- quit@2");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      // Godot 3.2's move_child marks only the moved node's own groups as changed, so "kids" keeps its
      // stale order (A1, B1) until something else changes it. Godot 4's _move_child calls
      // `p_child->_propagate_groups_dirty()`, which marks the groups of the whole moved subtree
      // (scene/main/node.cpp): B1 comes first at once. Teardown: Godot 4 exits children in reverse order
      // of being added (`data.children`, untouched by move_child), Godot 3 by index.
      const godot4 = fixture("group_order");
      const moved = godot4.indexOf("A1:hit(moved)@1");
      expect(godot4[moved + 1]).toBe("B1:hit(moved)@1");
      godot4.splice(moved, 2, "B1:hit(moved)@1", "A1:hit(moved)@1");
      const teardown = godot4.indexOf("A1:exit");
      expect(godot4.slice(teardown)).toEqual([
        "A1:exit",
        "A:exit",
        "B1:exit",
        "B:exit",
        "C1:exit",
        "C:exit",
        "Main:exit",
      ]);
      godot4.splice(teardown, 6, "C1:exit", "C:exit", "B1:exit", "B:exit", "A1:exit", "A:exit");
      expect(t.lines).toEqual(godot4);
    });
  });

  describe("process_setup", () => {
    it("turns processing on at ready for a node that overrides _process, again after requestReady", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      const processing = (node: Node) => (node.isProcessing() ? "True" : "False");
      main.addChild(
        new Proc("A", t)
          .hook("enter", (node) => {
            if (t.frame > 0) return;
            node.setProcess(false);
            t.out(`${node.name}:process off, processing=${processing(node)}`);
          })
          .hook("ready", (node) => {
            node.setPhysicsProcess(false);
            t.out(`${node.name}:processing=${processing(node)}`);
          }),
      );
      const offReady = (node: Rec) => {
        if (t.frame > 0) {
          t.out(`${node.name}:ready again, processing=${processing(node)}`);
          return;
        }
        node.setProcess(false);
        node.setPhysicsProcess(false);
        t.out(`${node.name}:process off, processing=${processing(node)}`);
      };
      for (const n of ["B", "C", "D"]) main.addChild(new Proc(n, t).hook("ready", offReady));
      tree.root.addChild(main);
      const c = main.getNode("C");
      const d = main.getNode("D");
      tree.on("processFrame", () => {
        const f = t.frame;
        if (f === 1) {
          main.removeChild(c);
          main.removeChild(d);
          d.requestReady();
          t.out("-- removed C, D; D.request_ready()");
        } else if (f === 2) {
          t.out("-- add C, D");
          main.addChild(c);
          main.addChild(d);
        } else if (f === 3) {
          t.out("-- quit@3");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      // Godot 4's NOTIFICATION_READY: `if (GDVIRTUAL_IS_OVERRIDDEN(_process)) set_process(true);` (and
      // the same for _physics_process) before `GDVIRTUAL_CALL(_ready)`, as Godot 3 does for a script
      // with _process. Teardown: Godot 4 exits children in reverse order of being added (C and D were
      // added back last: D, C, B, A, as by index here).
      expect(t.lines).toEqual(fixture("process_setup"));
    });
  });

  describe("notifications", () => {
    /** note.gd: rec.gd that also prints the lifecycle notifications its `_notification` hears. */
    class Note extends Rec {
      override _notification(what: number): void {
        super._notification(what);
        const names: Record<number, string> = {
          [Node.NOTIFICATION_PARENTED]: "PARENTED",
          [Node.NOTIFICATION_UNPARENTED]: "UNPARENTED",
          [Node.NOTIFICATION_ENTER_TREE]: "ENTER_TREE",
          [Node.NOTIFICATION_EXIT_TREE]: "EXIT_TREE",
          [Node.NOTIFICATION_POST_ENTER_TREE]: "POST_ENTER_TREE",
          [Node.NOTIFICATION_READY]: "READY",
          [Node.NOTIFICATION_PATH_RENAMED]: "PATH_CHANGED",
          [Node.NOTIFICATION_PREDELETE]: "PREDELETE",
        };
        if (names[what] !== undefined) this.trace.out(`${this.name}:n:${names[what]}`);
      }
    }

    it("sends the lifecycle notifications around the virtuals and signals in Godot 4's order", () => {
      const { tree, t } = newTree();
      // rec.gd's setup() sets the name after construction: a rename outside the tree.
      const note = (name: string) => {
        const node = new Note("", t, true);
        node.name = name;
        return node;
      };
      const main = note("Main");
      const a = note("A");
      a.addChild(note("A1"));
      t.out("-- add A to Main");
      main.addChild(a);
      t.out("-- add Main to root");
      tree.root.addChild(main);
      t.out("-- added");
      tree.on("processFrame", () => {
        if (t.frame === 1) {
          t.out("-- remove A");
          main.removeChild(a);
          t.out("-- rename A");
          a.name = "Ax";
          t.out("-- add A");
          main.addChild(a);
          t.out("-- free A");
          a.free();
          t.out("-- freed");
        } else if (t.frame === 2) {
          t.out("-- quit@2");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      // PREDELETE is sent reversed (`notification(NOTIFICATION_PREDELETE, true)` in Object::_predelete).
      // Godot 3.2's Object::notification ignores `p_reversed` for scripts: the engine's part (Node's
      // PREDELETE: leave the parent, free the children) runs first, the script's `_notification` after.
      // Godot 4's (current master) runs the script first when reversed (`if (p_reversed) { if (script_instance)
      // script_instance->notification(...); } ... if (p_reversed) _notificationv(...)`,
      // core/object/object.cpp). So in Godot 4 a freed node hears PREDELETE before it leaves its
      // parent (before UNPARENTED), and before its children are freed.
      const godot4 = fixture("notifications");
      const swap = (first: string, second: string) => {
        const at = godot4.indexOf(first);
        expect(godot4[at + 1]).toBe(second);
        godot4.splice(at, 2, second, first);
      };
      swap("A1:n:UNPARENTED", "A1:n:PREDELETE");
      swap("Main:n:UNPARENTED", "Main:n:PREDELETE");
      godot4.splice(godot4.indexOf("Ax:n:PREDELETE"), 1);
      godot4.splice(godot4.indexOf("-- free A") + 1, 0, "Ax:n:PREDELETE");
      expect(t.lines).toEqual(godot4TreeExitedOrder(godot4));
    });
  });

  describe("readd_in_process", () => {
    it("skips, for the rest of the pass, a node taken out and put back (or moved) during it", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      main.addChild(new Proc("A", t));
      main.addChild(
        new Proc("B", t)
          .hook("process", () => {
            if (t.frame !== 1) return;
            const c = main.getNode("C");
            main.removeChild(c);
            main.addChild(c);
            t.out("B:re-added C");
          })
          .hook("physics", () => {
            if (t.frame !== 2) return;
            // Godot 4's reparent: remove_child, then add_child under the new parent.
            main.getNode("D").reparent(main.getNode("E"));
            t.out("B:moved D under E");
          }),
      );
      main.addChild(new Proc("C", t, true));
      main.addChild(new Proc("D", t, true));
      main.addChild(new Rec("E", t));
      tree.root.addChild(main);
      tree.on("physicsFrame", () => t.out(`tree:physicsFrame@${t.frame}`));
      tree.on("processFrame", () => {
        const f = t.frame;
        t.out(`tree:processFrame@${f}`);
        if (f === 3) {
          main.getNode("E/D").reparent(main);
          t.out("-- moved D back");
        } else if (f === 4) tree.quit();
      });
      runUntilQuit(tree);
      // Godot 4's SceneTree::_process holds nodes_removed_on_group_call_lock for the whole pass and
      // _process_group skips `if (nodes_removed_on_group_call.has(n))` (scene/main/scene_tree.cpp), as
      // Godot 3's call_skip did: a node that left the tree during the pass is skipped even if it is back.
      // Teardown: Godot 4 exits children in reverse order of being added: D (re-added last), C, E, B, A.
      const godot4 = fixture("readd_in_process");
      const at = godot4.indexOf("D:exit", godot4.indexOf("tree:processFrame@4"));
      expect(godot4.slice(at, at + 7)).toEqual([
        "D:exit",
        "D:treeExiting",
        "C:exit",
        "C:treeExiting",
        "E:exit",
        "B:exit",
        "A:exit",
      ]);
      expect(t.lines).toEqual(godot4TreeExitedOrder(godot4));
    });
  });

  describe("replace_by", () => {
    it("replaces a node, moving its children to the new one, and adds a sibling right after a node", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      const a = new Rec("A", t, true);
      a.addToGroup("tops");
      for (const n of ["A1", "A2"]) {
        const kid = new Rec(n, t, true);
        kid.addToGroup("kids");
        a.addChild(kid);
      }
      main.addChild(a);
      main.addChild(new Rec("B", t, true));
      tree.root.addChild(main);
      const names = (node: Node) =>
        node
          .getChildren()
          .map((c) => c.name)
          .join(",");
      const group = (g: string) =>
        tree
          .getNodesInGroup(g)
          .map((n) => n.name)
          .join(",");
      tree.on("processFrame", () => {
        const f = t.frame;
        if (f === 1) {
          const r = new Rec("R", t, true);
          t.out("-- replace A by R");
          a.replaceBy(r, true);
          t.out("-- replaced");
          t.out(`Main children ${names(main)}; R children ${names(r)}; A children ${names(a)}`);
          t.out(
            `tops ${group("tops")}; kids ${group("kids")}; A in tree=${a.isInsideTree() ? "True" : "False"}`,
          );
          a.free();
        } else if (f === 2) {
          t.out("-- add S below R");
          main.getNode("R").addSibling(new Rec("S", t, true));
          t.out(`Main children ${names(main)}`);
        } else if (f === 3) {
          t.out("-- quit@3");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      // Godot 3.2's add_child_below_node(node, child) is Godot 4's node.add_sibling(child). Teardown:
      // Godot 4 exits children in reverse order of being added (`data.children`; replace_by's and
      // add_sibling's move_child do not change it): Main's are B, R, S, so S, R (A2, A1 first), B.
      const godot4 = fixture("replace_by");
      const at = godot4.indexOf("-- quit@3") + 1;
      const teardown = ["B:exit", "B:treeExiting", "S:exit", "S:treeExiting"];
      expect(godot4.slice(at, at + 4)).toEqual(teardown);
      godot4.splice(at, 4, "S:exit", "S:treeExiting");
      godot4.splice(godot4.indexOf("Main:exit"), 0, "B:exit", "B:treeExiting");
      expect(t.lines).toEqual(godot4TreeExitedOrder(godot4));
    });
  });
});
