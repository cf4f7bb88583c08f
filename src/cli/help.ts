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
  --seed N              Base seed of tree.instance.seed (default random, printed with --instances)

Fleet options (run N instances of the scene, each its own tree):
  --instances N         Instances in the whole fleet (tree.instance.index 0..N-1; {index} in props)
  --workers K           Worker threads (default: one per core, at most N)
  --ramp-up SECONDS     Start the instances evenly over this time
  --duration SECONDS    Quit every instance this long after the start
  --shard I/M           Run instances I, I+M, I+2M... (one machine of M)
  --shards M            --shard with I from JOB_COMPLETION_INDEX (Kubernetes Indexed Job)

Exit codes: 0 success, 1 runtime failure (with --instances: an instance failed), 2 invalid input
(bad scene or arguments), 130/143 after SIGINT/SIGTERM.
`;
