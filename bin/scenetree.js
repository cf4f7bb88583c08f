#!/usr/bin/env node
"use strict";
/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports */
// The CLI is TypeScript run from source: tsx compiles it (and scenes' .ts scripts) on the fly, so
// `npx scenetree` works right after `npm ci`, with no build step.
require("tsx/cjs");
require("../src/cli/main.ts").runCliAndExit(process.argv.slice(2));
