import { SceneTreeError } from "../../core/errors";
import { runEquation, type EaseType, type TransitionType } from "./easing";

/** What a tween can animate: a number, or a plain object of numbers such as `{ x, y }`. */
export type TweenValue = number | { readonly [component: string]: number };

/** Godot's `Math::is_zero_approx` (CMP_EPSILON). */
export function isZeroApprox(value: number): boolean {
  return Math.abs(value) < 0.00001;
}

/** Godot's `Math::is_equal_approx`. */
export function isEqualApprox(a: number, b: number): boolean {
  if (a === b) return true;
  const tolerance = Math.max(0.00001 * Math.abs(a), 0.00001);
  return Math.abs(a - b) < tolerance;
}

function isComponents(value: unknown): value is Record<string, number> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  for (const key of Object.keys(value))
    if (typeof (value as Record<string, unknown>)[key] !== "number") return false;
  return true;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (isComponents(value)) return `{ ${Object.keys(value).join(", ")} }`;
  return typeof value;
}

/** Throws unless `value` is a number or an object of numbers. */
export function assertTweenable(value: unknown, what: string): asserts value is TweenValue {
  if (typeof value === "number" || isComponents(value)) return;
  throw new SceneTreeError(
    "ERR_INVALID_ARGUMENT",
    `${what} is ${describe(value)}; a tween animates numbers and objects of numbers such as { x, y }.`,
  );
}

/** Godot's `_validate_type_match`: both numbers, or objects with the same components. */
export function assertSameShape(from: TweenValue, to: TweenValue): void {
  const same =
    typeof from === "number"
      ? typeof to === "number"
      : typeof to !== "number" &&
        Object.keys(from).length === Object.keys(to).length &&
        Object.keys(from).every((key) => key in to);
  if (!same) {
    throw new SceneTreeError(
      "ERR_INVALID_ARGUMENT",
      `Type mismatch between initial and final value: ${describe(from)} and ${describe(to)}.`,
    );
  }
}

function combine(a: TweenValue, b: TweenValue, op: (x: number, y: number) => number): TweenValue {
  if (typeof a === "number") return op(a, b as number);
  const out: Record<string, number> = {};
  for (const key of Object.keys(a)) out[key] = op(a[key], (b as Record<string, number>)[key]);
  return out;
}

/** Godot's `Animation::add_variant`. */
export function addValues(a: TweenValue, b: TweenValue): TweenValue {
  return combine(a, b, (x, y) => x + y);
}

/** Godot's `Animation::subtract_variant`. */
export function subtractValues(a: TweenValue, b: TweenValue): TweenValue {
  return combine(a, b, (x, y) => x - y);
}

/** Godot's `Math::lerp` per component, in double (as Animation::interpolate_variant for FLOAT). */
export function lerpValues(a: TweenValue, b: TweenValue, weight: number): TweenValue {
  return combine(a, b, (x, y) => x + (y - x) * weight);
}

/** A copy, so a value handed to the user or stored on a target is never shared with the tween. */
export function copyValue(value: TweenValue): TweenValue {
  return typeof value === "number" ? value : { ...value };
}

/**
 * Godot's `Tween::interpolate_variant`: `initial + delta` eased at `time` of `duration`. The eased
 * weight comes from the 32-bit equations; the blend is done in double, as Godot does for floats.
 */
export function interpolateValue(
  initial: TweenValue,
  delta: TweenValue,
  time: number,
  duration: number,
  trans: TransitionType,
  ease: EaseType,
): TweenValue {
  const end = addValues(initial, delta);
  return lerpValues(initial, end, runEquation(trans, ease, time, 0, 1, duration));
}
