#!/usr/bin/env node
"use strict";
/* global require, __dirname */
/* eslint-disable @typescript-eslint/no-require-imports */
// Copies the inspector's page (plain ES modules, no build step) next to its compiled server, which
// serves it from dist/inspector/public.
const fs = require("node:fs");
const path = require("node:path");

const from = path.join(__dirname, "..", "src", "inspector", "public");
const to = path.join(__dirname, "..", "dist", "inspector", "public");
fs.rmSync(to, { recursive: true, force: true });
fs.cpSync(from, to, { recursive: true });
