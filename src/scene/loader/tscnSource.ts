import { convertTscn } from "../../tscn";
import { TscnError, type TscnWarning } from "../../tscn/errors";
import { SceneError } from "./SceneError";

/**
 * A Godot `.tscn` file as scene JSON text, so `scenetree run` and instances accept Godot scenes directly.
 * Sub-scenes it instances stay `.tscn` references and come back through here. A file that can't be
 * converted becomes a SceneError at the `.tscn` line:column. What the conversion lost goes to `onWarning`
 * (the loader's option of that name), the same warnings `scenetree import` prints.
 */
export function tscnAsSceneJson(
  text: string,
  file: string,
  onWarning: ((warning: TscnWarning) => void) | undefined,
): string {
  try {
    const { scene, warnings } = convertTscn(text, { file, outFile: file });
    if (onWarning) for (const warning of warnings) onWarning(warning);
    return JSON.stringify(scene, null, 2);
  } catch (error) {
    if (!(error instanceof TscnError)) throw error;
    throw new SceneError([
      {
        code:
          error.code === "ERR_MISSING_FILE" || error.code === "ERR_INSTANCE_CYCLE" ? error.code : "ERR_TSCN",
        file: error.file,
        line: error.line,
        column: error.column,
        path: "",
        message: error.detail,
        hint: "Fix the .tscn (or open and save it in Godot), or convert it with scenetree import to see every warning.",
      },
    ]);
  }
}

/**
 * `handler`, called once per distinct warning: converting a `.tscn` converts the sub-scenes it instances
 * too (to know their root types), and the loader converts each of them again when it loads it.
 */
export function eachWarningOnce(
  handler: ((warning: TscnWarning) => void) | undefined,
): ((warning: TscnWarning) => void) | undefined {
  if (!handler) return undefined;
  const seen = new Set<string>();
  return (warning) => {
    const key = `${warning.file}\0${warning.line}\0${warning.code}\0${warning.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    handler(warning);
  };
}
