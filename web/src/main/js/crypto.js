// What never leaves the browser: the wallet-derived password (PROTOCOL.md §1), the file encrypted
// with it (OpenPGP, as `coop encrypt` writes: SKESK v4 with iterated S2K, SEIPD v1, AES-256), and
// the password wrapped to the validator's secp256k1 key (ECIES, eccrypto layout, PROTOCOL.md §2).
import * as openpgp from "openpgp";
import { secp256k1 } from "@noble/curves/secp256k1";
import { hmac } from "@noble/hashes/hmac";
import { sha256, sha512 } from "@noble/hashes/sha2";
import { concatBytes } from "@noble/hashes/utils";
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

/** `pass` wrapped to a secp256k1 public key (0x-hex, 33 or 65 bytes): iv || ephemeral key || AES-256-CBC || HMAC-SHA256. */
export async function wrapEcies(pass, publicKeyHex) {
  const recipient = hexToBytes(publicKeyHex);
  const ephemeral = secp256k1.utils.randomPrivateKey();
  const ephemeralPublic = secp256k1.getPublicKey(ephemeral, false);
  const shared = secp256k1.getSharedSecret(ephemeral, recipient, true).slice(1); // the x-coordinate
  const keys = sha512(shared);
  const iv = crypto.getRandomValues(new Uint8Array(16));
  const aesKey = await crypto.subtle.importKey("raw", keys.slice(0, 32), "AES-CBC", false, ["encrypt"]);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv }, aesKey, new TextEncoder().encode(pass)));
  const mac = hmac(sha256, keys.slice(32), concatBytes(iv, ephemeralPublic, ciphertext));
  return bytesToHex(concatBytes(iv, ephemeralPublic, ciphertext, mac));
}
