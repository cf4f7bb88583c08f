/**
 * Godot 4's tests/core/variant/test_callable.cpp (commit 387253a4), translated case by case (each TEST_CASE is a
 * `describe`; its commented sections become `it`s with the shared setup in `beforeEach`).
 *
 * Godot's `callable_mp(object, &Class::method)` (a method pointer) has no separate form in scenetree:
 * a callable on a method is `new Callable(object, "method")`, and every method of a JavaScript class
 * is reachable by name (there is no ClassDB to register it in), so the callable_mp checks run on that.
 * `Callable(my_test, "test_func_5")` reaches a static method through the instance, as in Godot;
 * `callable_mp_static(&TestClass::test_func_5)` is a callable on the class itself.
 *
 * Not translated: "[Callable] Method Info" (`get_method_info()`): it compares the Variant types, property
 * hints, usage and method flags ClassDB records for each bound method; JavaScript functions carry none.
 */
import { Callable } from "../../src/scene/Callable";
import { GodotObject } from "../../src/scene/GodotObject";

/** test_callable.h's TestClass: methods with 2 and 3 declared arguments, bound, static and vararg. */
class TestClass extends GodotObject {
  testFunc1(_foo: number, _bar: number): void {}
  testFunc2(_foo: number, _bar: number, _baz: number): void {}

  // Not bound to ClassDB in Godot (reached only through callable_mp there).
  testFunc3(_foo: number, _bar: number): number {
    return 0;
  }
  testFunc4(_foo: number, _bar: number, _baz: number): number {
    return 0;
  }

  static testFunc5(_foo: number, _bar: number): void {}
  static testFunc6(_foo: number, _bar: number, _baz: number): void {}

  // Godot's bind_vararg_method with a MethodInfo declaring `foo, bar` (and `foo, bar, baz`): the
  // declared parameters come before the rest parameter.
  testFunc7(_foo: number, _bar: number, ..._rest: unknown[]): void {}
  testFunc8(_foo: number, _bar: number, _baz: number, ..._rest: unknown[]): void {}
}

describe("[Callable] Argument count", () => {
  let myTest: TestClass;

  beforeEach(() => {
    myTest = new TestClass();
  });

  afterEach(() => myTest.free());

  it("bound methods: simple, static and vararg", () => {
    // Test simple methods.
    const callable1 = new Callable(myTest, "testFunc1");
    expect(callable1.getArgumentCount()).toBe(2);
    const callable2 = new Callable(myTest, "testFunc2");
    expect(callable2.getArgumentCount()).toBe(3);
    // Callable(my_test, "test_func_5"): a static method, found through the instance's class.
    const callable3 = new Callable(myTest, "testFunc5");
    expect(callable3.getArgumentCount()).toBe(2);
    const callable4 = new Callable(myTest, "testFunc6");
    expect(callable4.getArgumentCount()).toBe(3);

    // Test vararg methods: vararg Callable should return the number of declared arguments.
    const callableVararg1 = new Callable(myTest, "testFunc7");
    expect(callableVararg1.getArgumentCount()).toBe(2);
    const callableVararg2 = new Callable(myTest, "testFunc8");
    expect(callableVararg2.getArgumentCount()).toBe(3);
  });

  it("callable_mp: simple and static methods", () => {
    // Test simple methods.
    const callableMp1 = new Callable(myTest, "testFunc1");
    expect(callableMp1.getArgumentCount()).toBe(2);
    const callableMp2 = new Callable(myTest, "testFunc2");
    expect(callableMp2.getArgumentCount()).toBe(3);
    const callableMp3 = new Callable(myTest, "testFunc3");
    expect(callableMp3.getArgumentCount()).toBe(2);
    const callableMp4 = new Callable(myTest, "testFunc4");
    expect(callableMp4.getArgumentCount()).toBe(3);

    // Test static methods (callable_mp_static).
    const callableMpStatic1 = new Callable(TestClass, "testFunc5");
    expect(callableMpStatic1.getArgumentCount()).toBe(2);
    const callableMpStatic2 = new Callable(TestClass, "testFunc6");
    expect(callableMpStatic2.getArgumentCount()).toBe(3);
  });

  it("bind should subtract from the argument count", () => {
    const callableMp2 = new Callable(myTest, "testFunc2");
    const callableMpBind1 = callableMp2.bind(1);
    expect(callableMpBind1.getArgumentCount()).toBe(2);
    const callableMpBind2 = callableMp2.bind(1, 2);
    expect(callableMpBind2.getArgumentCount()).toBe(1);
  });

  it("unbind should add to the argument count", () => {
    const callableMp2 = new Callable(myTest, "testFunc2");
    const callableMpUnbind1 = callableMp2.unbind(1);
    expect(callableMpUnbind1.getArgumentCount()).toBe(4);
    const callableMpUnbind2 = callableMp2.unbind(2);
    expect(callableMpUnbind2.getArgumentCount()).toBe(5);
  });
});

/** test_callable.h's TestBoundUnboundArgumentCount: a vararg method returning the arguments it got. */
class TestBoundUnboundArgumentCount extends GodotObject {
  testFunc(...args: unknown[]): unknown[] {
    return args;
  }

  static getOutput(callable: Callable): string {
    const effectiveArgs: unknown[] = [7, 8, 9];
    // Array::resize(3 - unbound), then append_array(bound).
    effectiveArgs.length = 3 - callable.getUnboundArgumentsCount();
    effectiveArgs.push(...callable.getBoundArguments());

    // vformat("%d %d %s %s %s", ...)
    return [
      callable.getUnboundArgumentsCount(),
      callable.getBoundArgumentsCount(),
      variantString(callable.getBoundArguments()),
      variantString(callable.call(7, 8, 9)),
      variantString(effectiveArgs),
    ].join(" ");
  }
}

/** Godot's String(Variant) for the values here: an Array prints as `[1, 2]`. */
function variantString(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(variantString).join(", ")}]` : String(value);
}

describe("[Callable] Bound and unbound argument count", () => {
  const getOutput = TestBoundUnboundArgumentCount.getOutput;
  let testInstance: TestBoundUnboundArgumentCount;
  let testFunc: Callable;

  beforeEach(() => {
    testInstance = new TestBoundUnboundArgumentCount();
    testFunc = new Callable(testInstance, "testFunc");
  });

  afterEach(() => testInstance.free());

  it("plain, and binds and unbinds stacked", () => {
    expect(getOutput(testFunc)).toBe("0 0 [] [7, 8, 9] [7, 8, 9]");
    expect(getOutput(testFunc.bind(1, 2))).toBe("0 2 [1, 2] [7, 8, 9, 1, 2] [7, 8, 9, 1, 2]");
    expect(getOutput(testFunc.bind(1, 2).unbind(1))).toBe("1 2 [1, 2] [7, 8, 1, 2] [7, 8, 1, 2]");
    expect(getOutput(testFunc.bind(1, 2).unbind(1).bind(3, 4))).toBe(
      "0 3 [3, 1, 2] [7, 8, 9, 3, 1, 2] [7, 8, 9, 3, 1, 2]",
    );
    expect(getOutput(testFunc.bind(1, 2).unbind(1).bind(3, 4).unbind(1))).toBe(
      "1 3 [3, 1, 2] [7, 8, 3, 1, 2] [7, 8, 3, 1, 2]",
    );
  });

  it("single binds and one unbind in every position", () => {
    expect(getOutput(testFunc.bind(1).bind(2).bind(3).unbind(1))).toBe(
      "1 3 [3, 2, 1] [7, 8, 3, 2, 1] [7, 8, 3, 2, 1]",
    );
    expect(getOutput(testFunc.bind(1).bind(2).unbind(1).bind(3))).toBe(
      "0 2 [2, 1] [7, 8, 9, 2, 1] [7, 8, 9, 2, 1]",
    );
    expect(getOutput(testFunc.bind(1).unbind(1).bind(2).bind(3))).toBe(
      "0 2 [3, 1] [7, 8, 9, 3, 1] [7, 8, 9, 3, 1]",
    );
    expect(getOutput(testFunc.unbind(1).bind(1).bind(2).bind(3))).toBe(
      "0 2 [3, 2] [7, 8, 9, 3, 2] [7, 8, 9, 3, 2]",
    );
  });

  it("one bind of three and single unbinds in every position", () => {
    expect(getOutput(testFunc.unbind(1).unbind(1).unbind(1).bind(1, 2, 3))).toBe(
      "0 0 [] [7, 8, 9] [7, 8, 9]",
    );
    expect(getOutput(testFunc.unbind(1).unbind(1).bind(1, 2, 3).unbind(1))).toBe(
      "1 1 [1] [7, 8, 1] [7, 8, 1]",
    );
    expect(getOutput(testFunc.unbind(1).bind(1, 2, 3).unbind(1).unbind(1))).toBe(
      "2 2 [1, 2] [7, 1, 2] [7, 1, 2]",
    );
    expect(getOutput(testFunc.bind(1, 2, 3).unbind(1).unbind(1).unbind(1))).toBe(
      "3 3 [1, 2, 3] [1, 2, 3] [1, 2, 3]",
    );
  });
});
