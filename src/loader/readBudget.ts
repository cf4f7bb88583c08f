import * as fs from "node:fs";
import type { SceneLimits } from "./limits";
import { REFUSALS } from "./messages";

/** Why a file was not read: each becomes a located problem where the file was asked for. */
export type ReadRefusalKind =
  /** No such file. */
  | "missing"
  /** It exists but is not a regular file (a folder, a device, a pipe) or could not be opened. */
  | "unreadable"
  /** Larger than `maxFileBytes`. */
  | "file-too-big"
  /** Reading it would take the load past `maxTotalBytes`. */
  | "total-bytes"
  /** One file more than `maxFiles`. */
  | "file-count";

export class ReadRefusal extends Error {
  constructor(
    readonly kind: ReadRefusalKind,
    readonly file: string,
    detail: string,
  ) {
    super(detail);
    this.name = "ReadRefusal";
  }
}

const CHUNK = 64 * 1024;
// O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused once fstat says what it is.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/**
 * What one load may still read. Every scene file goes through here, so the size of each file and the
 * total over the load are bounded by what is actually read, never by what `stat` claims (it says 0
 * for `/proc` files). A read stops one byte past the cap: a 290 MB file costs a 32 MiB read at most.
 */
export class ReadBudget {
  private bytes = 0;
  private files = 0;

  constructor(readonly limits: SceneLimits) {}

  /** Counts text that did not come from a read (parseScene's own string) against the total. */
  claim(text: string): void {
    this.files++;
    this.bytes += Buffer.byteLength(text);
  }

  readSync(file: string): string {
    const cap = this.startRead(file);
    let fd: number;
    try {
      fd = fs.openSync(file, OPEN_FLAGS);
    } catch (error) {
      throw openRefusal(file, error);
    }
    try {
      if (!fs.fstatSync(fd).isFile()) throw notAFile(file);
      const reader = new CappedBuffer(cap);
      while (!reader.full) {
        const slot = reader.slot();
        const n = fs.readSync(fd, slot.buffer, slot.offset, slot.length, null);
        if (n === 0) break;
        reader.advance(n);
      }
      return this.finishRead(file, reader);
    } finally {
      fs.closeSync(fd);
    }
  }

  async read(file: string): Promise<string> {
    const cap = this.startRead(file);
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(file, OPEN_FLAGS);
    } catch (error) {
      throw openRefusal(file, error);
    }
    try {
      if (!(await handle.stat()).isFile()) throw notAFile(file);
      const reader = new CappedBuffer(cap);
      while (!reader.full) {
        const slot = reader.slot();
        const { bytesRead } = await handle.read(slot.buffer, slot.offset, slot.length, null);
        if (bytesRead === 0) break;
        reader.advance(bytesRead);
      }
      return this.finishRead(file, reader);
    } finally {
      await handle.close();
    }
  }

  /** Counts the file and returns how many bytes it may have. */
  private startRead(file: string): number {
    const { maxFiles, maxFileBytes, maxTotalBytes } = this.limits;
    if (this.files + 1 > maxFiles) throw new ReadRefusal("file-count", file, REFUSALS.fileCount(maxFiles));
    this.files++;
    return Math.min(maxFileBytes, Math.max(0, maxTotalBytes - this.bytes));
  }

  private finishRead(file: string, reader: CappedBuffer): string {
    const { maxFileBytes, maxTotalBytes } = this.limits;
    if (reader.full) {
      throw reader.cap >= maxFileBytes
        ? new ReadRefusal("file-too-big", file, REFUSALS.fileBytes(maxFileBytes))
        : new ReadRefusal("total-bytes", file, REFUSALS.totalBytes(maxTotalBytes));
    }
    this.bytes += reader.offset;
    return reader.text();
  }
}

/**
 * The first `bytes` bytes of a regular file (for files read for a detail, such as a GDScript's
 * class_name line, not as scenes); null when it is missing or not a regular file.
 */
export function readPrefixSync(file: string, bytes: number): string | null {
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch {
    return null;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return null;
    const buffer = Buffer.allocUnsafe(bytes);
    let offset = 0;
    while (offset < bytes) {
      const n = fs.readSync(fd, buffer, offset, bytes - offset, null);
      if (n === 0) break;
      offset += n;
    }
    return buffer.toString("utf8", 0, offset);
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** A buffer that grows in chunks up to `cap + 1` bytes: full means the file is larger than the cap. */
class CappedBuffer {
  private buffer: Buffer;
  offset = 0;

  constructor(readonly cap: number) {
    this.buffer = Buffer.allocUnsafe(Math.min(cap + 1, CHUNK));
  }

  get full(): boolean {
    return this.offset > this.cap;
  }

  /** Where the next read goes, growing the buffer (never past `cap + 1`) when it is full. */
  slot(): { buffer: Buffer; offset: number; length: number } {
    if (this.offset === this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.cap + 1, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.offset);
      this.buffer = grown;
    }
    return { buffer: this.buffer, offset: this.offset, length: this.buffer.length - this.offset };
  }

  advance(n: number): void {
    this.offset += n;
  }

  text(): string {
    return this.buffer.toString("utf8", 0, this.offset);
  }
}

function notAFile(file: string): ReadRefusal {
  return new ReadRefusal("unreadable", file, REFUSALS.notAFile());
}

function openRefusal(file: string, error: unknown): ReadRefusal {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return new ReadRefusal("missing", file, REFUSALS.notFound());
  if (code === "EISDIR") return notAFile(file);
  return new ReadRefusal("unreadable", file, REFUSALS.unreadable(code ?? String(error)));
}
