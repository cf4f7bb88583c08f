#!/usr/bin/env node
"use strict";
/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports */
// The CLI is the compiled package (dist/), the same module instance a scene's scripts get when they
// import "scenetree". tsx is used only to load users' .ts scripts, never to run scenetree itself.
let cli;
try {
  cli = require("../dist/cli/main.js");
} catch (error) {
  if (error && error.code === "MODULE_NOT_FOUND" && String(error.message).includes("dist/cli/main.js")) {
    process.stderr.write("scenetree: dist/ is missing; run `npm run build` in the scenetree checkout.\n");
    process.exit(1);
  }
  throw error;
}
cli.runCliAndExit(process.argv.slice(2));
