import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "node_modules/",
      "coverage/",
      "**/*.js",
      "!bin/*.js",
      "!scripts/*.js",
      "!src/inspector/public/*.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Virtual callbacks such as _process(delta) are meant to be overridden and may ignore their arguments.
      "@typescript-eslint/no-empty-function": "off",
      // Walking up a tree starts from `this` (let node: Node = this); that is not an alias bug.
      "@typescript-eslint/no-this-alias": "off",
    },
  },
  {
    // The loader is read by whoever adds a scene feature: functions small enough to read at once.
    files: ["src/loader/**/*.ts"],
    rules: {
      "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The inspector's page: plain ES modules run by the browser.
    files: ["src/inspector/public/*.js"],
    languageOptions: {
      sourceType: "module",
      globals: Object.fromEntries(
        ["window", "document", "location", "WebSocket", "ResizeObserver", "setTimeout", "setInterval"]
          .concat(["clearInterval", "clearTimeout", "Date", "console"])
          .map((name) => [name, "readonly"]),
      ),
    },
  },
);
