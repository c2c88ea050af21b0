/**
 * HMAC signing and verification of the four JSON frames (header, parent, metadata, content).
 * An empty key means authentication is off: the signature is "" and nothing is checked.
 * Verification is constant-time and never throws (wrong length, odd hex, missing frames are just
 * "invalid"), and a signature seen recently is refused as a replay.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type VerifyResult = "ok" | "bad-signature" | "replayed";

export interface Signer {
  readonly enabled: boolean;
  sign(frames: readonly Buffer[]): string;
  verify(signature: string, frames: readonly Buffer[]): VerifyResult;
}

/** How many recent signatures are remembered for replay detection (ipykernel uses 2^16). */
const REPLAY_MEMORY = 1 << 16;

export function createSigner(key: string, scheme = "hmac-sha256"): Signer {
  if (key === "") return unsignedSigner;
  const algorithm = hmacAlgorithm(scheme);
  const seen = new Set<string>();
  const sign = (frames: readonly Buffer[]): string => {
    const hmac = createHmac(algorithm, key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest("hex");
  };
  return {
    enabled: true,
    sign,
    verify(signature, frames) {
      const expected = Buffer.from(sign(frames), "latin1");
      const given = Buffer.from(signature, "latin1");
      // timingSafeEqual throws on length mismatch; the length of a hex digest is not secret.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "bad-signature";
      if (seen.has(signature)) return "replayed";
      seen.add(signature);
      if (seen.size > REPLAY_MEMORY) {
        const oldest = seen.values().next().value;
        if (oldest !== undefined) seen.delete(oldest);
      }
      return "ok";
    },
  };
}

const unsignedSigner: Signer = {
  enabled: false,
  sign: () => "",
  verify: () => "ok",
};

function hmacAlgorithm(scheme: string): string {
  const match = /^hmac-(.+)$/.exec(scheme);
  if (!match || !match[1]) throw new Error(`Unsupported signature_scheme "${scheme}"; use "hmac-sha256".`);
  return match[1];
}
