/**
 * Godot 4's easing equations (Robert Penner's, as Godot's `easing_equations.h` has them), in Godot's
 * arithmetic: its `real_t` is a 32-bit float, so every float-typed step is rounded with `Math.fround`
 * and every step C++ promotes to double (a `double` literal, `Math_PI`, `pow`, `sin`, `cos`) is left
 * in double. That is what makes the values equal to Godot's, quirks included (Expo's 0.001 offset,
 * Back's 1.70158 overshoot, Godot's own Spring).
 *
 * Each function is `(t, b, c, d)`: time, start value, change, duration.
 */

/** Godot's `Tween.TransitionType`, same values. */
export enum TransitionType {
  LINEAR = 0,
  SINE = 1,
  QUINT = 2,
  QUART = 3,
  QUAD = 4,
  EXPO = 5,
  ELASTIC = 6,
  CUBIC = 7,
  CIRC = 8,
  BOUNCE = 9,
  BACK = 10,
  SPRING = 11,
}

/** Godot's `Tween.EaseType`, same values. */
export enum EaseType {
  IN = 0,
  OUT = 1,
  IN_OUT = 2,
  OUT_IN = 3,
}

type Equation = (t: number, b: number, c: number, d: number) => number;

const f = Math.fround;
const PI = Math.PI;
const F0_3 = f(0.3);
const F0_45 = f(F0_3 * f(1.5)); // 0.3f * 1.5f
const BACK_S = f(1.70158);
const BACK_S_IN_OUT = f(BACK_S * f(1.525));
const BOUNCE_1 = f(1 / 2.75);
const BOUNCE_2 = f(2 / 2.75);
const BOUNCE_3 = 2.5 / 2.75; // a double in Godot's source, unlike its neighbours
const BOUNCE_1_5 = f(1.5 / 2.75);
const BOUNCE_2_25 = f(2.25 / 2.75);
const BOUNCE_2_625 = f(2.625 / 2.75);

/** Godot's shared `out_in`: the out half, then the in half. */
function outIn(out: Equation, inn: Equation): Equation {
  return (t, b, c, d) => {
    if (t < f(d / 2)) return out(f(t * 2), b, f(c / 2), d);
    const h = f(c / 2);
    return inn(f(f(t * 2) - d), f(b + h), h, d);
  };
}

/** `in_out` built from halves, as Godot's Bounce and Spring do. */
function inOutOf(inn: Equation, out: Equation): Equation {
  return (t, b, c, d) => {
    if (t < f(d / 2)) return inn(f(t * 2), b, f(c / 2), d);
    const h = f(c / 2);
    return out(f(f(t * 2) - d), f(b + h), h, d);
  };
}

const linear: Equation = (t, b, c, d) => f(f(f(c * t) / d) + b);

const sineIn: Equation = (t, b, c, d) => f(-c * Math.cos(f(t / d) * (PI / 2)) + c + b);
const sineOut: Equation = (t, b, c, d) => f(c * Math.sin(f(t / d) * (PI / 2)) + b);
const sineInOut: Equation = (t, b, c, d) => f(f(-c / 2) * (Math.cos((PI * t) / d) - 1) + b);

function powerIn(n: number): Equation {
  return (t, b, c, d) => f(c * Math.pow(f(t / d), n) + b);
}

const quintOut: Equation = (t, b, c, d) => f(c * (Math.pow(f(f(t / d) - 1), 5) + 1) + b);
const quintInOut: Equation = (t, b, c, d) => {
  t = f(f(t / d) * 2);
  if (t < 1) return f(f(c / 2) * Math.pow(t, 5) + b);
  return f(f(c / 2) * (Math.pow(f(t - 2), 5) + 2) + b);
};

const quartOut: Equation = (t, b, c, d) => f(-c * (Math.pow(f(f(t / d) - 1), 4) - 1) + b);
const quartInOut: Equation = (t, b, c, d) => {
  t = f(f(t / d) * 2);
  if (t < 1) return f(f(c / 2) * Math.pow(t, 4) + b);
  return f(f(-c / 2) * (Math.pow(f(t - 2), 4) - 2) + b);
};

const quadOut: Equation = (t, b, c, d) => {
  t = f(t / d);
  return f(f(f(-c * t) * f(t - 2)) + b);
};
const quadInOut: Equation = (t, b, c, d) => {
  t = f(f(t / d) * 2);
  if (t < 1) return f(f(c / 2) * Math.pow(t, 2) + b);
  return f(f(f(-c / 2) * f(f(f(t - 1) * f(t - 3)) - 1)) + b);
};

const expoIn: Equation = (t, b, c, d) => {
  if (t === 0) return b;
  return f(c * Math.pow(2, f(10 * f(f(t / d) - 1))) + b - c * 0.001);
};
const expoOut: Equation = (t, b, c, d) => {
  if (t === d) return f(b + c);
  return f(c * 1.001 * (-Math.pow(2, f(f(-10 * t) / d)) + 1) + b);
};
const expoInOut: Equation = (t, b, c, d) => {
  if (t === 0) return b;
  if (t === d) return f(b + c);
  t = f(f(t / d) * 2);
  if (t < 1) return f(f(c / 2) * Math.pow(2, f(10 * f(t - 1))) + b - c * 0.0005);
  return f(f(c / 2) * 1.0005 * (-Math.pow(2, f(-10 * f(t - 1))) + 2) + b);
};

const elasticIn: Equation = (t, b, c, d) => {
  if (t === 0) return b;
  t = f(t / d);
  if (t === 1) return f(b + c);
  t = f(t - 1);
  const p = f(d * F0_3);
  const a = f(c * Math.pow(2, f(10 * t)));
  const s = f(p / 4);
  return f(-(a * Math.sin((f(f(t * d) - s) * (2 * PI)) / p)) + b);
};
const elasticOut: Equation = (t, b, c, d) => {
  if (t === 0) return b;
  t = f(t / d);
  if (t === 1) return f(b + c);
  const p = f(d * F0_3);
  const s = f(p / 4);
  return f(c * Math.pow(2, f(-10 * t)) * Math.sin((f(f(t * d) - s) * (2 * PI)) / p) + c + b);
};
const elasticInOut: Equation = (t, b, c, d) => {
  if (t === 0) return b;
  t = f(t / f(d / 2));
  if (t === 2) return f(b + c);
  const p = f(d * F0_45);
  let a = c;
  const s = f(p / 4);
  if (t < 1) {
    t = f(t - 1);
    a = f(a * Math.pow(2, f(10 * t)));
    return f(-0.5 * (a * Math.sin((f(f(t * d) - s) * (2 * PI)) / p)) + b);
  }
  t = f(t - 1);
  a = f(a * Math.pow(2, f(-10 * t)));
  return f(a * Math.sin((f(f(t * d) - s) * (2 * PI)) / p) * 0.5 + c + b);
};

const cubicIn: Equation = (t, b, c, d) => {
  t = f(t / d);
  return f(f(f(f(c * t) * t) * t) + b);
};
const cubicOut: Equation = (t, b, c, d) => {
  t = f(f(t / d) - 1);
  return f(f(c * f(f(f(t * t) * t) + 1)) + b);
};
const cubicInOut: Equation = (t, b, c, d) => {
  t = f(t / f(d / 2));
  if (t < 1) return f(f(f(f(f(c / 2) * t) * t) * t) + b);
  t = f(t - 2);
  return f(f(f(c / 2) * f(f(f(t * t) * t) + 2)) + b);
};

// sqrt of a float is correctly rounded in double and then in float alike, so Math.sqrt + fround is exact.
const circIn: Equation = (t, b, c, d) => {
  t = f(t / d);
  return f(f(-c * f(f(Math.sqrt(f(1 - f(t * t)))) - 1)) + b);
};
const circOut: Equation = (t, b, c, d) => {
  t = f(f(t / d) - 1);
  return f(f(c * f(Math.sqrt(f(1 - f(t * t))))) + b);
};
const circInOut: Equation = (t, b, c, d) => {
  t = f(t / f(d / 2));
  if (t < 1) return f(f(f(-c / 2) * f(f(Math.sqrt(f(1 - f(t * t)))) - 1)) + b);
  t = f(t - 2);
  return f(f(f(c / 2) * f(f(Math.sqrt(f(1 - f(t * t)))) + 1)) + b);
};

const bounceOut: Equation = (t, b, c, d) => {
  t = f(t / d);
  if (t < BOUNCE_1) return f(f(c * f(f(7.5625 * t) * t)) + b);
  if (t < BOUNCE_2) {
    t = f(t - BOUNCE_1_5);
    return f(f(c * f(f(f(7.5625 * t) * t) + 0.75)) + b);
  }
  if (t < BOUNCE_3) {
    t = f(t - BOUNCE_2_25);
    return f(f(c * f(f(f(7.5625 * t) * t) + 0.9375)) + b);
  }
  t = f(t - BOUNCE_2_625);
  return f(f(c * f(f(f(7.5625 * t) * t) + 0.984375)) + b);
};
const bounceIn: Equation = (t, b, c, d) => f(f(c - bounceOut(f(d - t), 0, c, d)) + b);

const backIn: Equation = (t, b, c, d) => {
  t = f(t / d);
  return f(f(f(f(c * t) * t) * f(f(f(BACK_S + 1) * t) - BACK_S)) + b);
};
const backOut: Equation = (t, b, c, d) => {
  t = f(f(t / d) - 1);
  return f(f(c * f(f(f(t * t) * f(f(f(BACK_S + 1) * t) + BACK_S)) + 1)) + b);
};
const backInOut: Equation = (t, b, c, d) => {
  const s = BACK_S_IN_OUT;
  t = f(t / f(d / 2));
  if (t < 1) return f(f(f(c / 2) * f(f(t * t) * f(f(f(s + 1) * t) - s))) + b);
  t = f(t - 2);
  return f(f(f(c / 2) * f(f(f(t * t) * f(f(f(s + 1) * t) + s)) + 2)) + b);
};

const springOut: Equation = (t, b, c, d) => {
  t = f(t / d);
  const s = f(1 - t);
  t = f((Math.sin(t * PI * (0.2 + 2.5 * t * t * t)) * Math.pow(s, 2.2) + t) * (1 + 1.2 * s));
  return f(f(c * t) + b);
};
const springIn: Equation = (t, b, c, d) => f(f(c - springOut(f(d - t), 0, c, d)) + b);

// Indexed [transition][ease], in the enums' order, as Godot's `interpolaters` table.
const EQUATIONS: readonly (readonly Equation[])[] = [
  [linear, linear, linear, linear],
  [sineIn, sineOut, sineInOut, outIn(sineOut, sineIn)],
  [powerIn(5), quintOut, quintInOut, outIn(quintOut, powerIn(5))],
  [powerIn(4), quartOut, quartInOut, outIn(quartOut, powerIn(4))],
  [powerIn(2), quadOut, quadInOut, outIn(quadOut, powerIn(2))],
  [expoIn, expoOut, expoInOut, outIn(expoOut, expoIn)],
  [elasticIn, elasticOut, elasticInOut, outIn(elasticOut, elasticIn)],
  [cubicIn, cubicOut, cubicInOut, outIn(cubicOut, cubicIn)],
  [circIn, circOut, circInOut, outIn(circOut, circIn)],
  [bounceIn, bounceOut, inOutOf(bounceIn, bounceOut), outIn(bounceOut, bounceIn)],
  [backIn, backOut, backInOut, outIn(backOut, backIn)],
  [springIn, springOut, inOutOf(springIn, springOut), outIn(springOut, springIn)],
];

/**
 * Godot's `Tween::run_equation`: the eased value at `time` of a change `delta` from `initial` over
 * `duration`, computed in 32-bit floats. A zero duration gives the end value (no division by zero).
 */
export function runEquation(
  trans: TransitionType,
  ease: EaseType,
  time: number,
  initial: number,
  delta: number,
  duration: number,
): number {
  const d = f(duration);
  if (d === 0) return f(f(initial) + f(delta));
  const equation = EQUATIONS[trans]?.[ease];
  if (!equation) throw new RangeError(`Unknown transition/ease pair: ${trans}/${ease}.`);
  return equation(f(time), f(initial), f(delta), d);
}

export function isTransitionType(value: unknown): value is TransitionType {
  return typeof value === "number" && EQUATIONS[value] !== undefined;
}

export function isEaseType(value: unknown): value is EaseType {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 3;
}
