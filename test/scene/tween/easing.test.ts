import { EaseType, TransitionType, runEquation } from "../../../src/scene/tween/easing";
import { Tween } from "../../../src/scene/tween/Tween";

/**
 * Every Tween.TransitionType × EaseType pair against values computed by Godot's own
 * scene/animation/easing_equations.h, compiled with g++ and `real_t` = float (Godot's default build),
 * called as `Tween::run_equation` calls it. Printed with 9 significant digits, which names a 32-bit
 * float exactly, so each check is exact: `Math.fround(expected)` must equal our result bit for bit.
 */
const POINTS: ReadonlyArray<readonly [t: number, b: number, c: number, d: number]> = [
  [0, 0, 1, 1],
  [0.1, 0, 1, 1],
  [0.25, 0, 1, 1],
  [0.5, 0, 1, 1],
  [0.7, 0, 1, 1],
  [0.9, 0, 1, 1],
  [1, 0, 1, 1],
  [0.3, 10, -4, 2],
  [1.5, 10, -4, 2],
];

type Row = [keyof typeof TransitionType, keyof typeof EaseType, number[]];

// prettier-ignore
const GODOT: Row[] = [
  ["LINEAR", "IN", [0, 0.100000001, 0.25, 0.5, 0.699999988, 0.899999976, 1, 9.39999962, 7]],
  ["LINEAR", "OUT", [0, 0.100000001, 0.25, 0.5, 0.699999988, 0.899999976, 1, 9.39999962, 7]],
  ["LINEAR", "IN_OUT", [0, 0.100000001, 0.25, 0.5, 0.699999988, 0.899999976, 1, 9.39999962, 7]],
  ["LINEAR", "OUT_IN", [0, 0.100000001, 0.25, 0.5, 0.699999988, 0.899999976, 1, 9.39999962, 7]],
  ["SINE", "IN", [0, 0.0123116598, 0.076120466, 0.292893231, 0.546009481, 0.843565524, 1, 9.88947964, 7.53073359]],
  ["SINE", "OUT", [0, 0.156434461, 0.382683426, 0.707106769, 0.891006529, 0.987688363, 1, 9.06621838, 6.30448198]],
  ["SINE", "IN_OUT", [0, 0.024471743, 0.146446615, 0.5, 0.793892622, 0.97552824, 1, 9.78201294, 6.58578634]],
  ["SINE", "OUT_IN", [0, 0.154508501, 0.353553385, 0.5, 0.595491469, 0.845491469, 1, 9.09201908, 7.41421366]],
  ["QUINT", "IN", [0, 1.00000007e-05, 0.0009765625, 0.03125, 0.168069988, 0.590489924, 1, 9.99969578, 9.05078125]],
  ["QUINT", "OUT", [0, 0.409510076, 0.762695312, 0.96875, 0.997569978, 0.999989986, 1, 7.77482128, 6.00390625]],
  ["QUINT", "IN_OUT", [0, 0.000160000011, 0.015625, 0.5, 0.961120009, 0.999840021, 1, 9.99514008, 6.0625]],
  ["QUINT", "OUT_IN", [0, 0.336159974, 0.484375, 0.5, 0.505119979, 0.663839936, 1, 8.33613968, 7.9375]],
  ["QUART", "IN", [0, 0.000100000005, 0.00390625, 0.0625, 0.240099981, 0.656099916, 1, 9.99797535, 8.734375]],
  ["QUART", "OUT", [0, 0.343900055, 0.68359375, 0.9375, 0.991900027, 0.999899983, 1, 8.08802509, 6.015625]],
  ["QUART", "IN_OUT", [0, 0.000800000038, 0.03125, 0.5, 0.935199976, 0.999199986, 1, 9.98379993, 6.125]],
  ["QUART", "OUT_IN", [0, 0.29519999, 0.46875, 0.5, 0.512799978, 0.70479995, 1, 8.48019981, 7.875]],
  ["QUAD", "IN", [0, 0.0100000007, 0.0625, 0.25, 0.48999998, 0.809999943, 1, 9.90999985, 7.75]],
  ["QUAD", "OUT", [0, 0.189999998, 0.4375, 0.75, 0.909999967, 0.99000001, 1, 8.89000034, 6.25]],
  ["QUAD", "IN_OUT", [0, 0.0200000014, 0.125, 0.5, 0.819999993, 0.980000019, 1, 9.81999969, 6.5]],
  ["QUAD", "OUT_IN", [0, 0.179999992, 0.375, 0.5, 0.579999983, 0.819999933, 1, 8.97999954, 7.5]],
  ["EXPO", "IN", [0, 0.000953125011, 0.00452427194, 0.0302499998, 0.123999998, 0.498999923, 0.999000013, 9.99295139, 9.29689312]],
  ["EXPO", "OUT", [0, 0.500500023, 0.824046552, 0.969718754, 0.993179679, 0.999044895, 1, 7.41162777, 6.01811934]],
  ["EXPO", "IN_OUT", [0, 0.00145312503, 0.0151249999, 0.500249982, 0.969234347, 0.998545885, 1, 9.98637486, 6.06053114]],
  ["EXPO", "OUT_IN", [0, 0.375375003, 0.484859377, 0.5, 0.507312477, 0.624499977, 0.999499977, 8.24825001, 7.93949986]],
  ["ELASTIC", "IN", [0, 0.001953125, -0.00552427163, -0.0156250205, 0.125, -0.250000149, 1, 9.99447536, 9.64644718]],
  ["ELASTIC", "OUT", [0, 1.25, 0.911611676, 1.015625, 1.00390625, 0.998046875, 1, 4.58578634, 5.97790289]],
  ["ELASTIC", "IN_OUT", [0, 0.00033915625, 0.0119694462, 0.5, 0.976061106, 0.99966085, 1, 10.0146828, 6.04787779]],
  ["ELASTIC", "OUT_IN", [0, 0.5625, 0.5078125, 0.5, 0.5078125, 0.437500089, 1, 8.25, 8.03125]],
  ["CUBIC", "IN", [0, 0.00100000005, 0.015625, 0.125, 0.342999995, 0.728999913, 1, 9.98649979, 8.3125]],
  ["CUBIC", "OUT", [0, 0.271000087, 0.578125, 0.875, 0.97299999, 0.999000013, 1, 8.45650005, 6.0625]],
  ["CUBIC", "IN_OUT", [0, 0.00400000019, 0.0625, 0.5, 0.89199996, 0.995999992, 1, 9.9460001, 6.25]],
  ["CUBIC", "OUT_IN", [0, 0.243999988, 0.4375, 0.5, 0.532000005, 0.755999923, 1, 8.68599987, 7.75]],
  ["CIRC", "IN", [0, 0.00501257181, 0.0317541361, 0.133974612, 0.285857141, 0.564110041, 1, 9.95474434, 8.645751]],
  ["CIRC", "OUT", [0, 0.435889959, 0.661437809, 0.866025388, 0.953939199, 0.994987428, 1, 7.892869, 6.12701654]],
  ["CIRC", "IN_OUT", [0, 0.0101020634, 0.0669873059, 0.5, 0.899999976, 0.989897966, 1, 9.90787888, 6.2679491]],
  ["CIRC", "OUT_IN", [0, 0.299999982, 0.433012694, 0.5, 0.541742444, 0.699999928, 1, 8.5717144, 7.7320509]],
  ["BOUNCE", "IN", [0, 0.0118750334, 0.02734375, 0.234375, 0.319374919, 0.924374938, 1, 9.78062534, 7.890625]],
  ["BOUNCE", "OUT", [0, 0.0756250024, 0.47265625, 0.765625, 0.930624962, 0.988124967, 1, 9.31937504, 6.109375]],
  ["BOUNCE", "IN_OUT", [0, 0.0300000012, 0.1171875, 0.5, 0.955000043, 0.970000029, 1, 9.86124992, 6.46875]],
  ["BOUNCE", "OUT_IN", [0, 0.151250005, 0.3828125, 0.5, 0.613749981, 0.848749936, 1, 8.63875008, 7.53125]],
  ["BACK", "IN", [0, -0.0143142212, -0.0641365647, -0.087697506, 0.0928677171, 0.59117192, 1, 10.1166706, 9.26963902]],
  ["BACK", "OUT", [0, 0.40882808, 0.817409694, 1.08769751, 1.0801996, 1.01431417, 1, 7.71886539, 5.74345398]],
  ["BACK", "IN_OUT", [0, -0.0375185534, -0.0996818393, 0.5, 1.07883346, 1.03751862, 1, 10.2729588, 5.60127258]],
  ["BACK", "OUT_IN", [0, 0.352901071, 0.543848753, 0.5, 0.450324148, 0.647098839, 1, 8.1857357, 8.17539501]],
  ["SPRING", "IN", [0, -0.0042181015, 0.0136548877, -0.0510158539, 0.238580048, 0.687123299, 1, 9.93955612, 8.65334702]],
  ["SPRING", "OUT", [0, 0.312876642, 0.663336694, 1.05101585, 1.02207994, 1.0042181, 1, 8.23381901, 6.05461979]],
  ["SPRING", "IN_OUT", [0, 0.0138211846, -0.0255079269, 0.5, 0.966187716, 0.986178815, 1, 10.0441599, 5.89796829]],
  ["SPRING", "OUT_IN", [0, 0.278649986, 0.525507927, 0.5, 0.458947241, 0.721349955, 1, 8.47716045, 8.10203171]],
];

describe("easing equations", () => {
  it("cover every transition and ease", () => {
    const pairs = new Set(GODOT.map(([trans, ease]) => `${trans}/${ease}`));
    const transitions = Object.keys(TransitionType).filter((k) => Number.isNaN(Number(k)));
    const eases = Object.keys(EaseType).filter((k) => Number.isNaN(Number(k)));
    expect(transitions).toHaveLength(12);
    expect(eases).toHaveLength(4);
    for (const trans of transitions) for (const ease of eases) expect(pairs).toContain(`${trans}/${ease}`);
  });

  it.each(GODOT)("%s %s equals Godot's real_t arithmetic exactly", (trans, ease, expected) => {
    const got = POINTS.map(([t, b, c, d]) => runEquation(TransitionType[trans], EaseType[ease], t, b, c, d));
    expect(got).toEqual(expected.map((value) => Math.fround(value)));
  });

  it("keeps Godot's quirks: Expo IN ends 0.1% short, Back overshoots, Elastic and Spring ring", () => {
    expect(runEquation(TransitionType.EXPO, EaseType.IN, 1, 0, 1, 1)).toBe(Math.fround(0.999));
    expect(runEquation(TransitionType.BACK, EaseType.IN, 0.25, 0, 1, 1)).toBeLessThan(0);
    expect(runEquation(TransitionType.ELASTIC, EaseType.OUT, 0.1, 0, 1, 1)).toBeGreaterThan(1);
    expect(runEquation(TransitionType.SPRING, EaseType.OUT, 0.5, 0, 1, 1)).toBeGreaterThan(1);
  });

  it("gives the end value for a zero duration instead of dividing by zero", () => {
    expect(runEquation(TransitionType.SINE, EaseType.IN, 0, 3, 4, 0)).toBe(7);
  });
});

describe("Tween.interpolateValue", () => {
  it("blends in double with the 32-bit eased weight, as Godot's interpolate_variant for floats", () => {
    const weight = Math.fround(1 / 3); // LINEAR at 1/3 of 1 s: the weight is the float nearest 1/3
    expect(Tween.interpolateValue(10, 90, 1 / 3, 1, TransitionType.LINEAR, EaseType.IN)).toBe(
      10 + 90 * weight,
    );
  });

  it("interpolates each component of an object", () => {
    const weight = runEquation(TransitionType.QUAD, EaseType.OUT, 0.5, 0, 1, 2);
    expect(
      Tween.interpolateValue({ x: 0, y: 10 }, { x: 8, y: -10 }, 0.5, 2, TransitionType.QUAD, EaseType.OUT),
    ).toEqual({ x: 8 * weight, y: 10 + (0 - 10) * weight });
  });

  it("rejects values of different shapes and unknown transitions", () => {
    expect(() => Tween.interpolateValue(0, { x: 1 }, 0, 1, TransitionType.LINEAR, EaseType.IN)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }),
    );
    expect(() => Tween.interpolateValue(0, 1, 0, 1, 12 as TransitionType, EaseType.IN)).toThrow(
      expect.objectContaining({ code: "ERR_INVALID_ARGUMENT" }),
    );
  });
});
