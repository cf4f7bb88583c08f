import { deflateSync } from "node:zlib";

/**
 * A V2 compressed base64 HdrHistogram written byte by byte: the header's settings as given, then
 * `payload` (ZigZag LEB128 counts; a 0 byte is one empty bucket). For histograms no recorder writes.
 */
export function craftHistogram(payload: Buffer, { digits = 3, lowest = 1n, highest = 8191n } = {}): string {
  const header = Buffer.alloc(40);
  header.writeInt32BE(0x1c849313, 0);
  header.writeInt32BE(payload.length, 4);
  header.writeInt32BE(digits, 12);
  header.writeBigInt64BE(lowest, 16);
  header.writeBigInt64BE(highest, 24);
  header.writeDoubleBE(1, 32);
  const compressed = deflateSync(Buffer.concat([header, payload]), { level: 9 });
  const outer = Buffer.alloc(8);
  outer.writeInt32BE(0x1c849314, 0);
  outer.writeInt32BE(compressed.length, 4);
  return Buffer.concat([outer, compressed]).toString("base64");
}
