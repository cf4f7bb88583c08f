import { SceneTree } from "../scene/SceneTree";
import { loadScene } from "../scene/loader/loadScene";
import { setTscnWarningSink } from "../scene/loader/tscnSource";
import { SceneError } from "../scene/loader/SceneError";
import { parseRunArgs } from "./args";
import { instanceSeed, randomBaseSeed } from "../fleet/seed";
import { parseFleetFlags, parseSeed } from "../fleet/flags";
import { runFleet } from "../fleet/runFleet";
import { instancePlaceholders } from "../scene/instance";
import { makeLogger, printSceneError, type CliIo } from "./output";

/** Exit codes for signals, as shells report them (128 + signal number). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * `scenetree run <scene>`: loads the scene, makes it the tree's current scene and runs frames in real
 * time until something calls `quit()`, `--quit-after` seconds of tree time pass, or a signal arrives.
 * A first SIGINT/SIGTERM quits the tree cleanly (every node gets `_exitTree`); a second exits at once.
 */
export async function runCommand(
  args: string[],
  io: CliIo,
  defaultScene: string | null = null,
): Promise<number> {
  const options = parseRunArgs(args, defaultScene);
  const seed = parseSeed(options.seed);
  const fleet = parseFleetFlags(options.fleet, { ...options, seed }, process.env);
  if (fleet) return runFleet(fleet, io);
  const log = makeLogger(io, options.logLevel);
  let scene;
  try {
    const started = performance.now();
    setTscnWarningSink(log.warn); // a .tscn given to run is converted on the fly; say what it lost
    scene = await loadScene(options.scene);
    log.debug(`Loaded ${options.scene} in ${(performance.now() - started).toFixed(1)} ms.`);
  } catch (error) {
    if (!(error instanceof SceneError)) throw error;
    printSceneError(io, error);
    return 2;
  }

  const baseSeed = seed ?? randomBaseSeed();
  log.debug(`Seed ${baseSeed}.`);
  const instance = { index: 0, count: 1, seed: instanceSeed(baseSeed, 0) };
  const tree = new SceneTree({
    onError: (error) => log.error(`ERROR: ${error.message}`),
    instance,
  });
  const removeSignalHandlers = handleSignals(tree, log.info);
  try {
    const root = scene.instantiate({ placeholders: instancePlaceholders(instance) });
    tree.root.addChild(root);
    tree.currentScene = root;
    if (options.printTree) io.stdout(tree.root.getTreeStringPretty());
    if (options.quitAfter !== null) {
      tree.createTimer(options.quitAfter, true).connect("timeout", () => tree.quit(0));
    }
    return await tree.run({ fps: options.fps });
  } finally {
    removeSignalHandlers();
  }
}

function handleSignals(tree: SceneTree, info: (text: string) => void): () => void {
  let received = false;
  const handlers = Object.entries(SIGNAL_EXIT_CODES).map(([signal, code]) => {
    const handler = (): void => {
      if (received) process.exit(code); // a second signal: the user wants out now
      received = true;
      info(`${signal}: quitting (send it again to exit at once).`);
      tree.quit(code);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((remove) => remove());
}
