/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  // Examples and scaffolded scripts import the package by name; in-process tests must get the same
  // (source) instance the tests import, or a script would register types into a second registry.
  moduleNameMapper: { "^scenetree$": "<rootDir>/src/index.ts" },
  testTimeout: 20000,
  // Two cores on CI: keep the suite from oversubscribing them.
  maxWorkers: 2,
};
