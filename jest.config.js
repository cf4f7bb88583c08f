/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  moduleNameMapper: { "^scenetree$": "<rootDir>/src/index.ts" },
  testTimeout: 20000,
  // Two cores on CI: keep the suite from oversubscribing them.
  maxWorkers: 2,
};
