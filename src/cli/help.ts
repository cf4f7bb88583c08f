export const HELP = `scenetree: run Godot-style scenes headless in Node.js

Usage:
  scenetree run <scene.json> [options]   Run a scene until it quits
  scenetree start [scene.json] [options] Run the given scene, or scenes/main.scene.json
  scenetree validate <scene.json...>     Check scene files; print every problem
  scenetree schema [-o file]             Print (or write) the JSON Schema of scene files
  scenetree import <file.tscn> [-o out.scene.json] [--instances tscn|json] [--project DIR]
                                         Convert a Godot text scene (run also takes .tscn directly)
  scenetree init [dir] [--force]         Create a new project: scene, bot class, test
  scenetree --help | --version

Run options:
  --fps N               Idle frames per second (default 60)
  --quit-after SECONDS  Quit after this many seconds of tree time
  --print-tree          Print the tree once the scene is ready
  --log-level LEVEL     silent, error, warn, info (default) or debug

Exit codes: 0 success, 1 runtime failure, 2 invalid input (bad scene or arguments),
130/143 after SIGINT/SIGTERM.
`;
