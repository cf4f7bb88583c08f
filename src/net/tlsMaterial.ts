import { X509Certificate } from "node:crypto";
import { createSecureContext, type SecureContext } from "node:tls";

type PemLike = string | Buffer | Array<string | Buffer>;

/** The TLS material of one endpoint: trusted authorities, and its own certificate with its key. */
export interface TlsMaterial {
  ca?: PemLike;
  cert?: PemLike;
  key?: PemLike;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Builds the secure context for `material`, or says why it cannot be used. This is a configuration
 * error, found before any connection is tried: waiting and retrying cannot fix it. Node itself accepts
 * a `ca` with no certificate in it (and then trusts nothing), so that is checked here too.
 */
export function secureContextFor(
  material: TlsMaterial,
  side: "client" | "server",
): { context: SecureContext } | { problem: string } {
  const hasCert = isGiven(material.cert);
  const hasKey = isGiven(material.key);
  if (side === "server" && !(hasCert && hasKey))
    return { problem: "TLS configuration: a server needs both tls.cert and tls.key" };
  if (hasCert !== hasKey)
    return {
      problem: `TLS configuration: tls.${hasCert ? "cert" : "key"} is given without tls.${hasCert ? "key" : "cert"}`,
    };
  if (material.ca !== undefined) {
    const problem = caProblem(material.ca);
    if (problem !== undefined) return { problem: `TLS configuration: tls.ca ${problem}` };
  }
  try {
    return { context: createSecureContext({ ca: material.ca, cert: material.cert, key: material.key }) };
  } catch (error) {
    return { problem: `TLS configuration: ${(error as Error).message}` };
  }
}

function caProblem(ca: PemLike): string | undefined {
  const entries = Array.isArray(ca) ? ca : [ca];
  let count = 0;
  for (const entry of entries) {
    const blocks = String(entry).match(PEM_CERTIFICATE) ?? [];
    if (blocks.length === 0) return "holds no PEM certificate";
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch (error) {
        return `holds a certificate that cannot be read (${(error as Error).message})`;
      }
      count++;
    }
  }
  return count === 0 ? "holds no PEM certificate" : undefined;
}

/** Whether a cert or key was given: null (`key: process.env.KEY ?? null`) is not, like undefined. */
function isGiven(value: PemLike | null | undefined): boolean {
  if (value === undefined || value === null) return false;
  return value.length > 0;
}
