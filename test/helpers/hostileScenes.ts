import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/** Every own property of Object.prototype with its descriptor's value: a changed snapshot means pollution. */
export function prototypeSnapshot(): Record<string, unknown> {
  const snapshot: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(Object.prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(Object.prototype, key)!;
    snapshot[key] = descriptor.value ?? descriptor.get;
  }
  return snapshot;
}

/** A scene whose nodes nest `levels` deep (root included), written as text: JSON.stringify would overflow. */
export function nestedSceneText(levels: number): string {
  let open = "";
  for (let i = 0; i < levels - 1; i++) open += `{"name":"L${i}","type":"Node","children":[`;
  return `{"format":1,"root":${open}{"name":"Leaf","type":"Node"}${"]}".repeat(levels - 1)}}`;
}

/**
 * A throwaway layout on disk: `<base>/project` (with a package.json: the project folder) and
 * `<base>/outside`, a folder a scene must not reach into. `marker` names a global that a module
 * outside sets when it is (wrongly) imported.
 */
export interface SceneSandbox {
  readonly base: string;
  readonly project: string;
  readonly outside: string;
  write(relative: string, content: string | object): string;
  link(relative: string, target: string): string;
  dispose(): void;
}

export function makeSceneSandbox(): SceneSandbox {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), "scenetree-fuzz-")));
  const project = path.join(base, "project");
  const outside = path.join(base, "outside");
  mkdirSync(project);
  mkdirSync(outside);
  writeFileSync(path.join(project, "package.json"), '{ "name": "sandbox", "private": true }\n');
  const write = (relative: string, content: string | object): string => {
    const file = path.join(base, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  };
  return {
    base,
    project,
    outside,
    write,
    link(relative, target) {
      const file = path.join(base, relative);
      symlinkSync(target, file);
      return file;
    },
    dispose: () => rmSync(base, { recursive: true, force: true }),
  };
}
