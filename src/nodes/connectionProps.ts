/**
 * Props schemas derived from the connection settings table (src/net/settings.ts), shared by the
 * WebSocket nodes' schemas.
 */
import { z } from "zod";
import {
  CONNECTION_SETTING_NAMES,
  CONNECTION_SETTINGS,
  type ConnectionSettingName,
  type ConnectionSettings,
  type SceneSettingName,
  type SettingRow,
} from "../net/settings";

/** The props schema of one setting of the table, or null for one set from code only. */
export function settingProp(name: ConnectionSettingName, limits: { max?: number } = {}): z.ZodType | null {
  const setting: SettingRow<unknown> = CONNECTION_SETTINGS[name];
  const max = limits.max ?? setting.max;
  const ranged = <T extends z.ZodNumber>(schema: T): T => (max === undefined ? schema : schema.max(max)) as T;
  let schema: z.ZodType;
  switch (setting.kind) {
    case "url":
    case "address":
      schema = z.string();
      break;
    case "boolean":
      schema = z.boolean();
      break;
    case "seconds":
    case "fraction":
      schema = ranged(z.number().min(setting.min ?? 0));
      break;
    case "count":
    case "bytes":
      schema = ranged(z.int().min(setting.min ?? 0) as unknown as z.ZodNumber);
      break;
    case "closeCodes":
      schema = z.array(ranged(z.int().min(setting.min ?? 0) as unknown as z.ZodNumber));
      break;
    case "protocols":
      schema = z.union([z.string().min(1), z.array(z.string().min(1))]);
      break;
    case "headers":
      schema = z.record(z.string(), z.string());
      break;
    case "tls":
      schema = z.strictObject({
        ca: z.string().optional().describe("Extra trusted CA certificate (PEM text)."),
        cert: z.string().optional(),
        key: z.string().optional(),
        rejectUnauthorized: z.boolean().optional(),
      });
      break;
    case "dispatch":
      schema = z.enum(["immediate", "frame"]);
      break;
    case "function":
    case "object":
      return null;
  }
  return schema.optional().describe(setting.doc);
}

type SettingProps<Omitted extends ConnectionSettingName> = {
  [K in Exclude<SceneSettingName, Omitted>]: z.ZodOptional<z.ZodType<ConnectionSettings[K]>>;
};

/** The props of every scene-file setting of the table except `omit` (each node kind names those itself). */
function settingProps<O extends ConnectionSettingName>(omit: readonly O[]): SettingProps<O> {
  const props: Record<string, z.ZodType> = {};
  for (const name of CONNECTION_SETTING_NAMES) {
    if ((omit as readonly ConnectionSettingName[]).includes(name)) continue;
    const schema = settingProp(name);
    if (schema !== null) props[name] = schema;
  }
  return props as SettingProps<O>;
}

/** Reconnection settings both client nodes share (times in seconds). */
export const sharedConnectionProps = settingProps(["url", "connectTimeout", "receiveLimit"] as const);
