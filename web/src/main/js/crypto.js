// What never leaves the browser: the wallet-derived password (PROTOCOL.md §1), the file encrypted
// with it (OpenPGP, as `coop encrypt` writes: SKESK v4 with iterated S2K, SEIPD v1, AES-256), the
// password wrapped to the validator's secp256k1 key (ECIES, eccrypto layout, PROTOCOL.md §2), and the
// result key of a query or a compute task, which opens what the node encrypted to it in the same layout.
import * as openpgp from "openpgp";
import { secp256k1 } from "@noble/curves/secp256k1";
import { hmac } from "@noble/hashes/hmac";
import { sha256, sha512 } from "@noble/hashes/sha2";
import { concatBytes } from "@noble/hashes/utils";
import { equalBytes } from "@noble/curves/abstract/utils";
import { bytesToHex, hexToBytes, stringToHex } from "viem";

export const DEFAULT_SEED = "Please sign to retrieve your encryption key";

/** The password: the wallet's personal_sign of the seed, as lowercase 0x-hex. */
export async function password(provider, account, seed = DEFAULT_SEED) {
  const signature = await provider.request({ method: "personal_sign", params: [stringToHex(seed), account] });
  return signature.toLowerCase();
}

/** `content` encrypted to `pass` in the binary format `coop decrypt` and gpg open. */
export async function encrypt(content, filename, pass) {
  const message = await openpgp.createMessage({ binary: content, filename, format: "binary" });
  return openpgp.encrypt({
    message,
    passwords: [pass],
    format: "binary",
    config: {
      preferredSymmetricAlgorithm: openpgp.enums.symmetric.aes256,
      aeadProtect: false, // SEIPD v1: what GnuPG 2.2 reads
      s2kType: openpgp.enums.s2k.iterated,
    },
  });
}

export function sha256Hex(bytes) {
  return bytesToHex(sha256(bytes));
}

/** The AES-256-CBC key and the HMAC-SHA256 key of an ECIES message: SHA-512 of the ECDH shared x-coordinate, split in two. */
async function eciesKeys(privateKey, publicKey, usage) {
  const keys = sha512(secp256k1.getSharedSecret(privateKey, publicKey, true).slice(1));
  return { aes: await crypto.subtle.importKey("raw", keys.slice(0, 32), "AES-CBC", false, [usage]), mac: keys.slice(32) };
}

/**
 * `text` (a password, or a compute task's spec) wrapped to a secp256k1 public key (0x-hex, 33 or 65
 * bytes): iv || ephemeral key || AES-256-CBC || HMAC-SHA256.
 */
export async function wrapEcies(text, publicKeyHex) {
  const ephemeral = secp256k1.utils.randomPrivateKey();
  const ephemeralPublic = secp256k1.getPublicKey(ephemeral, false);
  const keys = await eciesKeys(ephemeral, hexToBytes(publicKeyHex), "encrypt");
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv }, keys.aes, new TextEncoder().encode(text)));
  const mac = hmac(sha256, keys.mac, concatBytes(iv, ephemeralPublic, ciphertext));
  return bytesToHex(concatBytes(iv, ephemeralPublic, ciphertext, mac));
}

/** A fresh secp256k1 key pair made in this browser, for the result of a query or a compute task. */
export function resultKeyPair() {
  const privateKey = secp256k1.utils.randomPrivateKey();
  return { privateKey, publicKey: bytesToHex(secp256k1.getPublicKey(privateKey, false)) };
}

/** The bytes an ECIES message (hex, the layout wrapEcies writes) holds for `privateKey`; fails if its MAC does not check. */
export async function unwrapEcies(wrappedHex, privateKey) {
  const wrapped = hexToBytes(wrappedHex.startsWith("0x") ? wrappedHex : `0x${wrappedHex}`);
  if (wrapped.length < 16 + 65 + 16 + 32) throw new Error(`an ECIES message is at least 129 bytes, not ${wrapped.length}`);
  const iv = wrapped.slice(0, 16);
  const ephemeralPublic = wrapped.slice(16, 81);
  const ciphertext = wrapped.slice(81, wrapped.length - 32);
  const keys = await eciesKeys(privateKey, ephemeralPublic, "decrypt");
  const mac = hmac(sha256, keys.mac, concatBytes(iv, ephemeralPublic, ciphertext));
  if (!equalBytes(mac, wrapped.slice(wrapped.length - 32))) throw new Error("the result does not open with this page's result key (its MAC does not match)");
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-CBC", iv }, keys.aes, ciphertext));
}
