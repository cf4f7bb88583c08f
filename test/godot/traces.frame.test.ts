/**
 * More scenarios against traces recorded from Godot 3.2.3 (see traces.test.ts and
 * test/fixtures/godot3/scripts/README.md), about what happens within frames: group calls, processing
 * toggled mid-frame, signal connection flags and emissions, Timer nodes and tree timers, pause modes,
 * deferred calls, propagate_call, quit. Each scenario mirrors test/fixtures/godot3/scripts/<s>.gd;
 * traces.tree.test.ts has the ones about the tree's shape.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GroupCallFlags } from "../../src/scene/SceneTree";
import { ConnectFlags, GodotObject } from "../../src/scene/GodotObject";
import { Callable } from "../../src/scene/Callable";
import { ProcessMode } from "../../src/scene/Node";
import { Timer, TimerProcessCallback } from "../../src/nodes/Timer";
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

describe("Godot 3.2.3 traces: within frames", () => {
  describe("groups", () => {
    it("calls, notifies and sets a group in tree order, now or deferred, reversed, and unique once per flush", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      const a = quiet("A", t, true);
      const b = quiet("B", t);
      const b1 = quiet("B1", t);
      b.addChild(b1);
      const c = quiet("C", t);
      main.addChild(a);
      main.addChild(b);
      main.addChild(c);
      tree.root.addChild(main);
      for (const n of [c, b1, a, b]) n.addToGroup("g");
      let rigged = false;
      a.onHit = () => {
        if (!rigged) return;
        rigged = false;
        b1.removeFromGroup("g");
        main.addToGroup("g");
        main.removeChild(c);
        t.out("A:removed B1, added Main, took C out");
      };
      a.hook("physics", () => {
        if (t.frame !== 2) return;
        t.out("-- uniPhys@2");
        tree.callGroupFlags(GroupCallFlags.DEFERRED | GroupCallFlags.UNIQUE, "g", "hit", "uniPhys");
        t.out("-- uniPhys queued");
      });
      const mark = (what: string) => tree.callDeferred(() => t.out(`mark(${what})@${t.frame}`));
      tree.on("processFrame", () => {
        const f = t.frame;
        if (f === 1) {
          rigged = true;
          t.out("-- plain");
          tree.callGroup("g", "hit", "plain");
          b1.addToGroup("g");
          main.removeFromGroup("g");
          main.addChild(c);
          t.out("-- rev");
          tree.callGroupFlags(GroupCallFlags.REVERSE, "g", "hit", "rev");
          mark("1");
          t.out("-- def");
          tree.callGroupFlags(GroupCallFlags.DEFERRED, "g", "hit", "def");
          t.out("-- defrev");
          tree.callGroupFlags(GroupCallFlags.DEFERRED | GroupCallFlags.REVERSE, "g", "hit", "defrev");
          mark("2");
          t.out("-- uni");
          tree.callGroupFlags(GroupCallFlags.DEFERRED | GroupCallFlags.UNIQUE, "g", "hit", "uni1");
          tree.callGroupFlags(GroupCallFlags.DEFERRED | GroupCallFlags.UNIQUE, "g", "hit", "uni2");
          mark("3");
          t.out("-- notify");
          tree.notifyGroup("g", 9001);
          tree.notifyGroupFlags(GroupCallFlags.DEFERRED | GroupCallFlags.REVERSE, "g", 9001);
          t.out("-- set");
          tree.setGroup("g", "val", 1);
          tree.setGroupFlags(GroupCallFlags.DEFERRED, "g", "val", 2);
          mark("4");
          t.out("-- end of idle_frame");
        } else if (f === 3) {
          t.out("-- quit@3");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      // The script writes Godot 4's immediate calls with Godot 3's GROUP_CALL_REALTIME and Godot 4's
      // DEFERRED ones without it (see groups.gd): no line needs mapping.
      expect(t.lines).toEqual(fixture("groups"));
    });
  });

  describe("toggle", () => {
    it("applies set_process and process_priority changed mid-frame from the next frame", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      const n = (name: string) => main.getNode(name);
      main.addChild(
        new Proc("A", t).hook("process", () => {
          const f = t.frame;
          if (f === 1) {
            n("B").setProcess(false);
            n("D").setProcess(true);
            t.out("A:B off, D on");
          } else if (f === 2) {
            n("B").setProcess(true);
            t.out("A:B on");
          } else if (f === 3) {
            n("C").setProcess(false);
            n("C").setProcess(true);
            t.out("A:C off and on");
          } else if (f === 4) {
            // Godot 3's one process_priority is Godot 4's two.
            n("B").processPriority = -1;
            n("B").processPhysicsPriority = -1;
            n("C").setPhysicsProcess(false);
            t.out("A:B.priority=-1, C physics off");
          }
        }),
      );
      main.addChild(new Proc("B", t));
      main.addChild(new Proc("C", t));
      main.addChild(
        new Proc("D", t)
          .hook("ready", (d) => d.setProcess(false))
          .hook("physics", (d) => {
            if (t.frame !== 4) return;
            d.setProcess(false);
            t.out("D:process off");
          }),
      );
      tree.root.addChild(main);
      tree.on("processFrame", () => {
        if (t.frame === 6) {
          t.out("-- quit@6");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      expect(t.lines).toEqual(fixture("toggle"));
    });
  });

  describe("signals", () => {
    it("runs DEFERRED connections in the flush, in order with call_deferred, and ONE_SHOT ones once", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      const s = quiet("S", t, true);
      s.addUserSignal("ping", ["tag"]);
      // A user signal is not among Member's declared signals: use it through the untyped base class.
      const emitter: GodotObject = s;
      main.addChild(s);
      const flags = [
        0,
        ConnectFlags.DEFERRED,
        ConnectFlags.ONE_SHOT,
        ConnectFlags.DEFERRED | ConnectFlags.ONE_SHOT,
      ];
      const hs: Member[] = [];
      for (let i = 0; i < 4; i++) {
        const h = quiet(`H${i + 1}`, t);
        main.addChild(h);
        emitter.connect("ping", (tag: string) => h.hit(tag), flags[i]);
        hs.push(h);
      }
      const h5 = quiet("H5", t);
      main.addChild(h5);
      let h5Connected = false;
      hs[0].onHit = () => {
        if (h5Connected) return;
        h5Connected = true;
        emitter.connect("ping", (tag: string) => h5.hit(tag));
        t.out("H1:connected H5");
      };
      s.hook("physics", () => {
        if (t.frame !== 2) return;
        emitter.emitSignal("ping", "phys");
        t.out("S:emitted phys");
      });
      tree.root.addChild(main);
      const mark = (what: string) => tree.callDeferred(() => t.out(`mark(${what})@${t.frame}`));
      tree.on("processFrame", () => {
        const f = t.frame;
        if (f === 1) {
          mark("1");
          t.out("-- emit a");
          emitter.emitSignal("ping", "a");
          mark("2");
          t.out("-- emit b");
          emitter.emitSignal("ping", "b");
          mark("3");
          t.out("-- end of idle_frame");
        } else if (f === 3) {
          t.out("-- quit@3");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      expect(t.lines).toEqual(fixture("signals"));
    });
  });

  describe("timer_control", () => {
    it("restarts, stops, re-times and pauses Timer nodes from their timeout and from outside", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      const counts = new Map<string, number>();
      const timer = (name: string, oneShot: boolean, autostart: boolean) => {
        const node = new Timer();
        node.name = name;
        node.waitTime = 0.05;
        node.oneShot = oneShot;
        node.autostart = autostart;
        counts.set(name, 0);
        node.on("timeout", () => {
          const count = counts.get(name)! + 1;
          counts.set(name, count);
          t.out(`${name}:timeout@${t.frame} stopped=${node.isStopped() ? "True" : "False"}`);
          if (name === "T1" && count < 3) node.start();
          else if (name === "T2" && count === 2) node.stop();
          else if (name === "T3" && count === 1) node.start(0.02);
          else if (name === "T4" && count === 1) node.waitTime = 0.1;
        });
        return node;
      };
      main.addChild(timer("T1", true, true));
      main.addChild(timer("T2", false, true));
      main.addChild(timer("T3", true, false));
      main.addChild(timer("T4", false, true));
      main.addChild(timer("T5", false, true));
      const t6 = timer("T6", false, true);
      t6.processCallback = TimerProcessCallback.PHYSICS;
      main.addChild(t6);
      tree.root.addChild(main);
      const get = (name: string) => main.getNode(name, Timer);
      tree.on("processFrame", () => {
        const f = t.frame;
        if (f === 4) {
          get("T5").paused = true;
          t.out("-- T5 paused@4");
        } else if (f === 5) {
          get("T3").start();
          t.out("-- T3 start@5");
        } else if (f === 10) {
          get("T5").paused = false;
          t.out("-- T5 unpaused@10");
        } else if (f === 20) {
          get("T2").start(0.1);
          t.out("-- T2 start(0.1)@20");
        } else if (f === 40) {
          t.out("-- quit@40");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      // T6 counts down in physics steps. Godot 3.2 passes them a float32 1/60 and keeps a float32
      // time_left, so three steps take 0.05 below zero; Godot 4 passes `const double physics_step = 1.0 /
      // physics_ticks_per_second;` (main/main.cpp) and keeps a double, so three steps leave 6.9e-18 and
      // Timer's `if (time_left < 0)` (scene/main/timer.cpp) fires on the fourth. Idle-step Timers get the
      // recording's own delta here (DELTA), so only T6 moves: its frames are checked against each
      // engine's arithmetic, everything else line for line.
      const isT6 = (line: string) => line.startsWith("T6:");
      const recorded = fixture("timer_control");
      expect(t.lines.filter((line) => !isT6(line))).toEqual(recorded.filter((line) => !isT6(line)));
      const frames = (lines: string[]) => lines.filter(isT6).map((line) => Number(/@(\d+)/.exec(line)![1]));
      const physicsTimerFrames = (godot: 3 | 4): number[] => {
        const f32 = godot === 3 ? Math.fround : (x: number) => x;
        const step = f32(1 / 60);
        const out: number[] = [];
        let left = f32(0.05);
        for (let frame = 0; frame < 40; frame++) {
          left = f32(left - step);
          if (left < 0) {
            out.push(frame);
            left = f32(left + f32(0.05));
          }
        }
        return out;
      };
      expect(frames(recorded)).toEqual(physicsTimerFrames(3));
      expect(frames(t.lines)).toEqual(physicsTimerFrames(4));
    });
  });

  describe("pause_inherit", () => {
    it("follows pause modes changed while paused, for nodes, Timer nodes and tree timers", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      const m = (name: string, mode: ProcessMode) => {
        const node = new Member(name, t).hook("ready", (n) => n.setProcess(false)) as Member;
        node.notes = true;
        node.processMode = mode;
        return node;
      };
      const timer = (name: string, mode: ProcessMode) => {
        const node = new Timer();
        node.name = name;
        node.waitTime = 0.05;
        node.autostart = true;
        node.processMode = mode;
        node.on("timeout", () => t.out(`${name}:timeout@${t.frame}`));
        return node;
      };
      const p = m("P", ProcessMode.PAUSABLE);
      p.addChild(m("P1", ProcessMode.INHERIT));
      main.addChild(p);
      const q = m("Q", ProcessMode.ALWAYS);
      q.addChild(m("Q1", ProcessMode.INHERIT));
      q.addChild(timer("QT", ProcessMode.INHERIT));
      main.addChild(q);
      main.addChild(timer("T", ProcessMode.PAUSABLE));
      tree.root.addChild(main);
      tree.on("processFrame", () => {
        const f = t.frame;
        if (f === 1) {
          t.out("-- pause@1");
          tree.paused = true;
          tree.createTimer(0.05, false).on("timeout", () => t.out(`treePausable:timeout@${t.frame}`));
          tree.createTimer(0.05, true).on("timeout", () => t.out(`treeAlways:timeout@${t.frame}`));
        } else if (f === 3) {
          t.out("-- Q inherit@3");
          q.processMode = ProcessMode.INHERIT;
        } else if (f === 5) {
          t.out("-- P process@5");
          p.processMode = ProcessMode.ALWAYS;
        } else if (f === 7) {
          t.out("-- unpause@7");
          tree.paused = false;
        } else if (f === 9) {
          t.out("-- quit@9");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      // Godot 3's set_pause sends PAUSED / UNPAUSED to every node and set_pause_mode sends nothing.
      // Godot 4 tells only the nodes whose can_process() changes: SceneTree::set_pause calls
      // Node::_propagate_pause_notification (`if (prev_can_process && !next_can_process)
      // notification(NOTIFICATION_PAUSED); else if (...) notification(NOTIFICATION_UNPAUSED);`), and
      // Node::set_process_mode computes the same prev/next can_process and propagates PAUSED or UNPAUSED
      // to the nodes that follow it (scene/main/node.cpp). So: pausing tells P and P1 only (Q, Q1 are
      // ALWAYS); Q going INHERIT while paused pauses Q and Q1; P going ALWAYS unpauses P and P1;
      // unpausing tells Q and Q1 only.
      let godot4 = fixture("pause_inherit").filter(
        (line) => !["Q:paused@1", "Q1:paused@1", "P:unpaused@7", "P1:unpaused@7"].includes(line),
      );
      const after = (lines: string[], anchor: string, added: string[]) => {
        const at = lines.indexOf(anchor);
        expect(at).toBeGreaterThanOrEqual(0);
        return [...lines.slice(0, at + 1), ...added, ...lines.slice(at + 1)];
      };
      godot4 = after(godot4, "-- Q inherit@3", ["Q:paused@3", "Q1:paused@3"]);
      godot4 = after(godot4, "-- P process@5", ["P:unpaused@5", "P1:unpaused@5"]);
      expect(t.lines).toEqual(godot4);
    });
  });

  describe("deferred_targets", () => {
    it("runs deferred calls on a node queued for deletion or out of the tree, and drops those on a freed one", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      for (const n of ["A", "B", "C"]) main.addChild(quiet(n, t, false, true));
      const c = main.getNode("C");
      tree.root.addChild(main);
      tree.on("processFrame", () => {
        const f = t.frame;
        if (f === 1) {
          const a = main.getNode("A");
          a.callDeferred("hit", "a1");
          a.setDeferred("val", 5);
          a.queueFree();
          const b = main.getNode("B");
          b.callDeferred("hit", "b1");
          b.free();
          c.callDeferred("hit", "c1");
          main.removeChild(c);
          tree.callDeferred(() => t.out(`mark(end)@${t.frame}`));
          t.out("-- queued@1");
        } else if (f === 2) {
          t.out("-- quit@2");
          c.free();
          tree.quit();
        }
      });
      runUntilQuit(tree);
      expect(t.lines).toEqual(godot4TreeExitedOrder(fixture("deferred_targets")));
    });
  });

  describe("tree_timers", () => {
    it("fires zero-time tree timers in the frame they are made, except those made while timers run", () => {
      const { tree, t } = newTree();
      const timer = (name: string, always = false) =>
        tree.createTimer(0, always).on("timeout", () => {
          t.out(`${name}:timeout@${t.frame}`);
          if (name === "fromProcess") timer("fromTimeout");
        });
      tree.on("physicsFrame", () => t.out(`tree:physicsFrame@${t.frame}`));
      tree.on("processFrame", () => {
        const f = t.frame;
        t.out(`tree:processFrame@${f}`);
        if (f === 1) timer("fromIdleFrame");
        else if (f === 5) {
          tree.paused = false;
          t.out("-- unpause@5");
        } else if (f === 6) tree.quit();
      });
      const main = new Rec("Main", t);
      const p = new Proc("P", t)
        .hook("process", () => {
          if (t.frame === 1) timer("fromProcess");
          else if (t.frame === 3) {
            tree.paused = true;
            t.out("P:pause@3");
            timer("pausedPausable");
            timer("pausedAlways", true);
          }
        })
        .hook("physics", () => {
          if (t.frame === 1) timer("fromPhysics");
        });
      p.processMode = ProcessMode.ALWAYS;
      main.addChild(p);
      tree.root.addChild(main);
      runUntilQuit(tree);
      expect(t.lines).toEqual(fixture("tree_timers"));
    });
  });

  describe("propagate", () => {
    it("propagates calls children first (or parent first) and notifications parent first", () => {
      const { tree, t } = newTree();
      const main = quiet("Main", t);
      const a = quiet("A", t);
      a.addChild(quiet("A1", t));
      a.addChild(quiet("A2", t));
      main.addChild(a);
      main.addChild(quiet("B", t));
      tree.root.addChild(main);
      tree.on("processFrame", () => {
        if (t.frame === 1) {
          t.out("-- propagate_call up");
          main.propagateCall("hit", ["up"]);
          t.out("-- propagate_call down");
          main.propagateCall("hit", ["down"], true);
          t.out("-- propagate_notification");
          main.propagateNotification(9001);
        } else if (t.frame === 2) {
          t.out("-- quit@2");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      expect(t.lines).toEqual(fixture("propagate"));
    });
  });

  describe("timer_tree", () => {
    it("keeps a Timer's time left while it is out of the tree, and autostarts one when it becomes ready", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      const timers = new Map<string, Timer>();
      const timer = (name: string, oneShot: boolean, autostart: boolean) => {
        const node = new Timer();
        node.name = name;
        node.waitTime = 0.1;
        node.oneShot = oneShot;
        node.autostart = autostart;
        node.on("timeout", () => t.out(`${name}:timeout@${t.frame}`));
        timers.set(name, node);
        return node;
      };
      main.addChild(timer("T1", false, true));
      main.addChild(timer("T3", true, false));
      timer("T2", false, true);
      tree.root.addChild(main);
      const get = (name: string) => timers.get(name)!;
      const state = (name: string) =>
        t.out(
          `${name} stopped=${get(name).isStopped() ? "True" : "False"} in=${get(name).isInsideTree() ? "True" : "False"}`,
        );
      tree.on("processFrame", () => {
        const f = t.frame;
        if (f === 1) {
          get("T3").start();
          main.removeChild(get("T3"));
          t.out("-- T3 started, removed@1");
          state("T3");
        } else if (f === 2) {
          main.removeChild(get("T1"));
          t.out("-- T1 removed@2");
          state("T1");
        } else if (f === 3) {
          main.addChild(get("T2"));
          t.out("-- T2 added@3");
          state("T2");
        } else if (f === 4) {
          main.addChild(get("T3"));
          t.out("-- T3 added@4");
          state("T3");
        } else if (f === 10) {
          main.addChild(get("T1"));
          t.out("-- T1 added@10");
          state("T1");
        } else if (f === 30) {
          t.out("-- quit@30");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      expect(t.lines).toEqual(fixture("timer_tree"));
    });
  });

  describe("signal_edges", () => {
    it("emits to the connections a signal had when the emission began, skipping freed targets and spent one-shots", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      const s = quiet("S", t);
      s.addUserSignal("ping", ["tag"]);
      const emitter: GodotObject = s;
      main.addChild(s);
      const hit = (name: string) => new Callable(main.getNode(name), "hit");
      for (let i = 0; i < 4; i++) {
        main.addChild(quiet(`H${i + 1}`, t));
        emitter.connect("ping", hit(`H${i + 1}`), i === 3 ? ConnectFlags.ONE_SHOT : 0);
      }
      let depth = 0;
      (main.getNode("H1") as Member).onHit = () => {
        depth++;
        if (depth === 1) {
          emitter.disconnect("ping", hit("H2"));
          main.getNode("H3").free();
          t.out(`H1:H4 connected=${emitter.isConnected("ping", hit("H4")) ? "True" : "False"}`);
          emitter.emitSignal("ping", "inner");
          t.out("H1:inner done");
        }
        depth--;
      };
      tree.root.addChild(main);
      tree.on("processFrame", () => {
        if (t.frame === 1) {
          t.out("-- emit outer");
          emitter.emitSignal("ping", "outer");
          t.out(`-- emitted, H4 connected=${emitter.isConnected("ping", hit("H4")) ? "True" : "False"}`);
        } else if (t.frame === 2) {
          t.out("-- quit@2");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      // Godot 3 disconnects one-shot connections after the emission (so the inner emission, made while
      // H4 is still connected, reaches it, and the outer one disconnects it a second time: the error in
      // signal_edges.stderr.txt). Godot 4's Object::emit_signalp copies the connections and disconnects
      // every one-shot among them before calling any ("Disconnect all one-shot connections before
      // emitting to prevent recursion.", core/object/object.cpp): H4 reads as disconnected inside the
      // emission and the inner emission does not reach it. The copy and the freed-target check
      // (`if (!callable.is_valid()) continue;`) are the same in both: H2 is still called, H3 is skipped.
      const godot4 = fixture("signal_edges")
        .filter((line) => line !== "H4:hit(inner)@1")
        .map((line) => (line === "H1:H4 connected=True" ? "H1:H4 connected=False" : line));
      expect(t.lines).toEqual(godot4);
      expect(readFileSync(join(FIXTURES, "signal_edges.stderr.txt"), "utf8")).toMatch(
        /Disconnecting nonexistent signal 'ping'/,
      );
    });
  });

  describe("quit_early", () => {
    it("runs one whole frame after a quit() made before the first one, then tears down", () => {
      const { tree, t } = newTree();
      tree.on("physicsFrame", () => t.out(`tree:physicsFrame@${t.frame}`));
      tree.on("processFrame", () => t.out(`tree:processFrame@${t.frame}`));
      const main = new Rec("Main", t, true);
      main.addChild(new Proc("A", t));
      main.addChild(
        new Proc("B", t).hook("ready", () => {
          t.out("B:quit");
          tree.quit();
          tree.callDeferred(() => t.out(`deferred@${t.frame}`));
          tree.createTimer(0).on("timeout", () => t.out(`timer:timeout@${t.frame}`));
        }),
      );
      tree.root.addChild(main);
      t.out("-- built");
      runUntilQuit(tree);
      expect(t.lines).toEqual(fixture("quit_early"));
    });
  });

  describe("late_free", () => {
    it("frees what a tree timer queues in the same frame, and what the frame's last flush queues in the next step", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      main.addChild(
        new Proc("A", t).hook("process", () => {
          if (t.frame !== 1) return;
          tree.createTimer(0).on("timeout", () => {
            t.out(`timer:timeout@${t.frame}`);
            main.getNode("B").queueFree();
            tree.callDeferred(() => {
              t.out(`deferred:queue_free C@${t.frame}`);
              main.getNode("C").queueFree();
            });
          });
        }),
      );
      for (const n of ["B", "C", "D"]) main.addChild(new Proc(n, t, true));
      tree.root.addChild(main);
      tree.on("physicsFrame", () => t.out(`tree:physicsFrame@${t.frame}`));
      tree.on("processFrame", () => {
        const f = t.frame;
        t.out(`tree:processFrame@${f}`);
        if (f === 3) {
          const d = main.getNode("D");
          d.queueFree();
          d.queueFree();
          d.callDeferred("queueFree");
          t.out("-- D queued@3");
        } else if (f === 5) tree.quit();
      });
      runUntilQuit(tree);
      // Godot 3's SceneTree::idle frees the queued nodes before it runs the tree timers, so B, queued by
      // a timer, waits for the next deletions (the end of frame 2's physics step). Godot 4.4+'s
      // SceneTree::process runs the timers first and `_flush_delete_queue()` last ("This should happen
      // last because any processing that deletes something beforehand might expect the object to be
      // removed in the same frame."): B goes at the end of frame 1, before the frame's last flush (Main's
      // `message_queue->flush()` after process()), so it does not physics-process on frame 2. C, queued
      // from that flush, goes at the end of frame 2's physics step in both.
      const godot4 = fixture("late_free").filter((line) => line !== "B:physics@2");
      const bExit = ["B:exit", "B:treeExiting", "B:treeExited"];
      const from = godot4.indexOf("B:exit");
      expect(godot4.slice(from, from + 3)).toEqual(bExit);
      godot4.splice(from, 3);
      godot4.splice(godot4.indexOf("deferred:queue_free C@1"), 0, ...bExit);
      expect(t.lines).toEqual(godot4);
    });
  });

  describe("time_scale", () => {
    it("scales Timer nodes, physics Timers and tree timers by the time scale, changed mid-run", () => {
      const { tree, t } = newTree();
      tree.timeScale = 0.5;
      const main = new Rec("Main", t);
      const timer = (name: string, callback: TimerProcessCallback) => {
        const node = new Timer();
        node.name = name;
        node.waitTime = 0.11;
        node.autostart = true;
        node.processCallback = callback;
        node.on("timeout", () => t.out(`${name}:timeout@${t.frame}`));
        return node;
      };
      main.addChild(timer("TI", TimerProcessCallback.IDLE));
      main.addChild(timer("TP", TimerProcessCallback.PHYSICS));
      tree.root.addChild(main);
      const treeTimer = () =>
        tree.createTimer(0.11).on("timeout", () => {
          t.out(`tree:timeout@${t.frame}`);
          treeTimer();
        });
      treeTimer();
      tree.on("processFrame", () => {
        if (t.frame === 30) {
          tree.timeScale = 2;
          t.out("-- time_scale=2@30");
        } else if (t.frame === 60) {
          t.out("-- quit@60");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      expect(t.lines).toEqual(fixture("time_scale"));
    });
  });

  describe("pause_physics", () => {
    it("applies a pause toggled in the physics step to the nodes after the toggling one at once", () => {
      const { tree, t } = newTree();
      const main = new Rec("Main", t);
      const p = (name: string, mode: ProcessMode) => {
        const node = new Proc(name, t);
        node.processMode = mode;
        return node;
      };
      main.addChild(p("A", ProcessMode.PAUSABLE));
      main.addChild(
        p("B", ProcessMode.ALWAYS).hook("physics", () => {
          if (t.frame === 1) {
            tree.paused = true;
            t.out("B:pause@1");
          } else if (t.frame === 3) {
            tree.paused = false;
            t.out("B:unpause@3");
          }
        }),
      );
      main.addChild(p("C", ProcessMode.PAUSABLE));
      tree.root.addChild(main);
      tree.on("processFrame", () => {
        if (t.frame === 4) {
          t.out("-- quit@4");
          tree.quit();
        }
      });
      runUntilQuit(tree);
      expect(t.lines).toEqual(fixture("pause_physics"));
    });
  });
});
