import { convertTscn } from "../../tscn";
import { TscnError, formatTscnWarning } from "../../tscn/errors";
import { SceneError } from "./SceneError";

/** Where the loader reports what a `.tscn` conversion lost (the CLI prints these to stderr). */
let warningSink: (line: string) => void = () => undefined;

export function setTscnWarningSink(sink: (line: string) => void): void {
  warningSink = sink;
}

/**
 * A Godot `.tscn` file as scene JSON text, so `scenetree run` and instances accept Godot scenes directly.
 * Sub-scenes it instances stay `.tscn` references and come back through here. A file that can't be
 * converted becomes a SceneError at the `.tscn` line:column.
 */
export function tscnAsSceneJson(text: string, file: string): string {
  try {
    const { scene, warnings } = convertTscn(text, { file, outFile: file });
    for (const warning of warnings) warningSink(formatTscnWarning(warning));
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
