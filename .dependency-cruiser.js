/**
 * The layer map of src/, each layer importing only from the ones below it:
 *   core ← metrics ← scene ← net (only core) ← nodes ← loader ← tscn ← run ← inspector, fleet ← cli
 * (run: what the CLI and fleet workers share to run a scene, and the one installation of the built-ins).
 * src/index.ts is the public surface and may import any layer; nothing inside src/ imports it. Type-only imports count
 * (tsPreCompilationDeps), because a type cycle couples the folders as much as a value cycle does.
 */
const order = [
  "core",
  "metrics",
  "scene",
  "net",
  "nodes",
  "loader",
  "tscn",
  "run",
  "inspector",
  "fleet",
  "cli",
];

/** What each layer may import besides itself. */
const allowed = {
  core: [],
  metrics: ["core"],
  scene: ["core", "metrics"],
  net: ["core"],
  nodes: ["core", "metrics", "scene", "net"],
  loader: ["core", "metrics", "scene", "net", "nodes"],
  tscn: ["core", "metrics", "scene", "net", "nodes", "loader"],
  run: ["core", "metrics", "scene", "net", "nodes", "loader", "tscn"],
  inspector: ["core", "metrics", "scene", "net", "nodes", "loader", "tscn", "run"],
  fleet: ["core", "metrics", "scene", "net", "nodes", "loader", "tscn", "run"],
  cli: ["core", "metrics", "scene", "net", "nodes", "loader", "tscn", "run", "inspector", "fleet"],
};

const forbidden = [
  {
    name: "no-circular",
    severity: "error",
    comment:
      "Import cycles (type-only included) tie modules together; break them by moving the shared part down.",
    from: { path: "^src/" },
    to: { circular: true },
  },
  ...order.map((layer) => ({
    name: `layer-${layer}`,
    severity: "error",
    comment: `src/${layer} may import only from ${allowed[layer].length ? allowed[layer].map((l) => `src/${l}`).join(", ") : "itself"} (the layer map in README's Architecture).`,
    from: { path: `^src/${layer}/` },
    to: {
      path: "^src/",
      pathNot: [`^src/${layer}/`, ...allowed[layer].map((l) => `^src/${l}/`)],
    },
  })),
  {
    name: "no-module-outside-layers",
    severity: "error",
    comment: "Every module belongs to a layer folder; src/index.ts is the only file directly in src/.",
    from: {},
    to: { path: "^src/[^/]+$", pathNot: "^src/index\\.ts$" },
  },
  {
    name: "no-public-surface-inside",
    severity: "error",
    comment:
      "src/index.ts is the public surface; modules inside src/ import the module they need, not the barrel.",
    from: { path: "^src/.+/" },
    to: { path: "^src/index\\.ts$" },
  },
];

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["scenetree-source", "require", "default"],
      extensions: [".ts", ".js", ".json"],
    },
    exclude: { path: "\\.d\\.ts$" },
  },
};
