import { Callable } from "../../src/scene/Callable";
import { Node } from "../../src/scene/Node";
import { SceneTree } from "../../src/scene/SceneTree";

class Target {
  calls: unknown[][] = [];
  two(a: unknown, b: unknown): void {
    this.calls.push([a, b]);
  }
  three(a: unknown, b: unknown, c: unknown): void {
    this.calls.push([a, b, c]);
  }
  many(...args: unknown[]): unknown[] {
    this.calls.push(args);
    return args;
  }
}

describe("Callable", () => {
  test("call passes its arguments, then the bound ones, and returns the method's result", () => {
    const target = new Target();
    expect(new Callable(target, "many").call(1, 2)).toEqual([1, 2]);
    expect(new Callable(target, "many").bind("b").call(1)).toEqual([1, "b"]);
    expect(new Callable(target, "many", ["x", "y"]).callv([0])).toEqual([0, "x", "y"]);
  });

  test("a static method of the target's class is reached through the instance, called on the class", () => {
    class WithStatic extends Target {
      static made: unknown[] = [];
      static make(this: typeof WithStatic, a: unknown, b: unknown): string {
        this.made.push([a, b]);
        return this.name;
      }
    }
    const target = new WithStatic();
    const callable = new Callable(target, "make");
    expect(callable.isValid()).toBe(true);
    expect(callable.getArgumentCount()).toBe(2);
    expect(callable.bind("b").call("a")).toBe("WithStatic");
    expect(WithStatic.made).toEqual([["a", "b"]]);
    // An instance method of the same name wins, and a class's own statics stay reachable on the class.
    expect(new Callable(target, "two").getArgumentCount()).toBe(2);
    expect(new Callable(WithStatic, "make").getArgumentCount()).toBe(2);
    expect(new Callable(target, "nope").isValid()).toBe(false);
    expect(new Callable({}, "keys").isValid()).toBe(false); // not Object's statics
  });

  test("chained binds in Godot 4's order: bind(1).bind(2) passes 2, 1", () => {
    const target = new Target();
    expect(new Callable(target, "many").bind(1).bind(2).call("arg")).toEqual(["arg", 2, 1]);
    expect(new Callable(target, "many").bind(1, 2).bind(3).call()).toEqual([3, 1, 2]);
  });

  test("unbind drops the last arguments of a call", () => {
    const target = new Target();
    expect(new Callable(target, "many").unbind(1).call(1, 2, 3)).toEqual([1, 2]);
    // unbind after bind drops call arguments; bind after unbind: its values are dropped.
    expect(new Callable(target, "many").bind("b").unbind(1).call(1, 2)).toEqual([1, "b"]);
    expect(new Callable(target, "many").unbind(1).bind("b").call(1, 2)).toEqual([1, 2]);
    expect(() => new Callable(target, "many").unbind(2).call(1)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }),
    );
    expect(() => new Callable(target, "many").unbind(0)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }),
    );
  });

  test("getArgumentCount, as Godot's test_callable: bind subtracts, unbind adds", () => {
    const target = new Target();
    const two = new Callable(target, "two");
    const three = new Callable(target, "three");
    expect(two.getArgumentCount()).toBe(2);
    expect(three.getArgumentCount()).toBe(3);
    expect(three.bind(1).getArgumentCount()).toBe(2);
    expect(three.bind(1, 2).getArgumentCount()).toBe(1);
    expect(three.unbind(1).getArgumentCount()).toBe(4);
    expect(three.unbind(2).getArgumentCount()).toBe(5);
    expect(new Callable(target, "missing").getArgumentCount()).toBe(0);
  });

  test("bound and unbound arguments as callable_bind.cpp counts them", () => {
    const target = new Target();
    const base = new Callable(target, "many");
    expect(base.getBoundArguments()).toEqual([]);
    expect(base.getBoundArgumentsCount()).toBe(0);
    expect(base.getUnboundArgumentsCount()).toBe(0);

    const bound = base.bind(1, 2, 3);
    expect(bound.getBoundArguments()).toEqual([1, 2, 3]);
    expect(bound.getUnboundArgumentsCount()).toBe(0);

    const unbound = base.unbind(3);
    expect(unbound.getBoundArgumentsCount()).toBe(0);
    expect(unbound.getUnboundArgumentsCount()).toBe(3);

    // A bind over an unbind: the unbind eats the bind's last values first.
    const eaten = base.unbind(2).bind(1, 2, 3);
    expect(eaten.getBoundArguments()).toEqual([1]);
    expect(eaten.getUnboundArgumentsCount()).toBe(0);
    expect(eaten.call()).toEqual([1]);

    const partly = base.unbind(3).bind(1);
    expect(partly.getBoundArguments()).toEqual([]);
    expect(partly.getUnboundArgumentsCount()).toBe(2);

    const nested = base.bind(1).bind(2);
    expect(nested.getBoundArguments()).toEqual([2, 1]);
    expect(nested.boundArgs).toEqual([2, 1]);
  });

  test("bindv([]) is the callable itself (Godot's bindv returns *this); bind() still makes a bound one", () => {
    const target = new Target();
    const plain = new Callable(target, "two");
    expect(plain.bindv([])).toBe(plain);
    expect(plain.bindv([]).equals(plain)).toBe(true);
    const bound = plain.bind();
    expect(bound).not.toBe(plain);
    expect(bound.equals(plain)).toBe(false);
    expect(bound.getBoundArgumentsCount()).toBe(0);
  });

  test("a freed target is not called: ERR_FREED, and isValid is false", () => {
    const tree = new SceneTree();
    class Counter extends Node {
      count = 0;
      bump(): void {
        this.count++;
      }
    }
    const node = new Counter("C");
    const callable = new Callable(node, "bump");
    expect(callable.isValid()).toBe(true);
    callable.call();
    node.free();
    expect(callable.isValid()).toBe(false);
    expect(() => callable.call()).toThrow(expect.objectContaining({ code: "ERR_FREED" }));
    expect(node.count).toBe(1);
    tree.finalize();
  });

  test("a missing method is ERR_NO_SUCH_METHOD", () => {
    const callable = new Callable(new Target(), "nope");
    expect(callable.isValid()).toBe(false);
    expect(() => callable.call()).toThrow(expect.objectContaining({ code: "ERR_NO_SUCH_METHOD" }));
  });

  test("equals: same target, method, and binds with the same values", () => {
    const target = new Target();
    const a = new Callable(target, "many");
    expect(a.equals(new Callable(target, "many"))).toBe(true);
    expect(a.bind(1).equals(new Callable(target, "many").bind(1))).toBe(true);
    expect(a.bind(1).equals(a.bind(2))).toBe(false);
    expect(a.bind(1).equals(a.unbind(1))).toBe(false);
    expect(a.equals(new Callable(new Target(), "many"))).toBe(false);
    expect(a.getObject()).toBe(target);
    expect(a.getMethod()).toBe("many");
    expect(a.toString()).toBe("Target::many");
  });
});
