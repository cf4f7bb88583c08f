/** Where `npm start` and `scenetree start` look when no scene is given. */
export const DEFAULT_SCENE = "scenes/main.scene.json";

/** The exit codes every command shares; printed at the end of a command's help. */
export const EXIT_CODES = `Exit codes: 0 success, 1 runtime failure, 2 invalid input (bad scene or arguments),
130/143 after SIGINT/SIGTERM.`;

/** Every exit code of the CLI, for `scenetree --help` (README's "Exit codes" table). */
const ALL_EXIT_CODES = `Exit codes: 0 success, 1 runtime failure, 2 invalid input (bad scene or arguments),
99 a threshold failed and the run was otherwise clean (run and merge; k6's code),
130/143 after SIGINT/SIGTERM, 141 when stdout's or stderr's reader went away (| head, 2>&1 | head).`;

/** `scenetree --help`: the commands. Each command's options are in its spec (`scenetree <command> --help`). */
export const HELP = `scenetree: run Godot-style scenes headless in Node.js

Usage:
  scenetree run <scene.json> [options]   Run a scene (or a Godot .tscn) until it quits
  scenetree start [scene.json] [options] Run the given scene, or scenes/main.scene.json
  scenetree validate <scene.json...>     Check scene files; print every problem
  scenetree schema [scene.json] [options]
                                         Print (or write) the JSON Schema of scene files
  scenetree import <file.tscn> [options] Convert a Godot text scene into a JSON scene
  scenetree init [dir] [--force]         Create a new project: scene, bot class, test
  scenetree merge <summary.json...>      Merge load-test summaries of shards; apply thresholds
  scenetree --help | --version

Run "scenetree <command> --help" for a command's options.

${ALL_EXIT_CODES}
`;
