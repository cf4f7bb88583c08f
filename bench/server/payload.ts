/**
 * Self-checking message payloads shared by the server and the benchmarks: bytes 0..3 hold the
 * message number (little-endian), every byte i ≥ 4 holds (number + i) & 0xff. A message that is cut,
 * merged, corrupted or out of order fails {@link checkSeq} or {@link checkPayload}.
 */

export function fillPayload(target: Uint8Array, seq: number): void {
  target[0] = seq & 0xff;
  target[1] = (seq >>> 8) & 0xff;
  target[2] = (seq >>> 16) & 0xff;
  target[3] = (seq >>> 24) & 0xff;
  for (let i = 4; i < target.length; i++) target[i] = (seq + i) & 0xff;
}

export function makePayload(seq: number, size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  fillPayload(buffer, seq);
  return buffer;
}

/** The message number of a payload (no check). */
export function payloadSeq(bytes: Uint8Array): number {
  return (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
}

/** Cheap check for every message: right length, right number, right last byte. */
export function checkSeq(bytes: Uint8Array, seq: number, size: number): boolean {
  return bytes.length === size && payloadSeq(bytes) === seq && bytes[size - 1] === ((seq + size - 1) & 0xff);
}

/** Full check: every byte. */
export function checkPayload(bytes: Uint8Array, seq: number, size: number): boolean {
  if (bytes.length !== size || payloadSeq(bytes) !== seq) return false;
  for (let i = 4; i < size; i++) if (bytes[i] !== ((seq + i) & 0xff)) return false;
  return true;
}

/** Bytes of whatever a client library hands over: Buffer, Uint8Array or ArrayBuffer. */
export function asBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  throw new Error(`expected binary message data, got ${typeof data}`);
}

export class IntegrityError extends Error {
  constructor(message: string) {
    super(`INTEGRITY FAILURE: ${message}`);
    this.name = "IntegrityError";
  }
}
