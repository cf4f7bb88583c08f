import * as path from "node:path";
import { UsageError } from "../../src/run/args";
import { unknownCommand } from "../../src/cli/unknownCommand";

const ROOT = path.join(__dirname, "../..");
const COMMANDS = ["run", "start", "merge"];
const message = (command: string, rest: string[] = []) =>
  unknownCommand(command, rest, COMMANDS, ROOT).message;

describe("unknownCommand", () => {
  test("a misspelt command: the closest one", () => {
    const error = unknownCommand("rnu", [], COMMANDS, ROOT);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('Unknown command "rnu". Did you mean "run"?');
    expect(message("frobnicate")).toBe('Unknown command "frobnicate".');
  });

  test("a scene's name where the command goes: the line again, with run", () => {
    expect(message("scenes/bot.scene.json")).toBe(
      'Unknown command "scenes/bot.scene.json". Did you mean: scenetree run scenes/bot.scene.json',
    );
    expect(message("Main.TSCN")).toBe('Unknown command "Main.TSCN". Did you mean: scenetree run Main.TSCN');
  });

  test("any file that exists counts as a scene; the rest of the line is quoted for a shell", () => {
    expect(message("LICENSE", ["--threshold", "ws_connecting:p(95)<500", "--fps", "30", "it's"])).toBe(
      `Unknown command "LICENSE". Did you mean: scenetree run LICENSE --threshold 'ws_connecting:p(95)<500' --fps 30 'it'\\''s'`,
    );
    expect(message("no-such-file")).toBe('Unknown command "no-such-file".');
  });
});
