// The DataDAO's query service (a validator's node, on loopback), which admits the app's origin:
// POST /query/price, POST /query and POST /task/price as the SDK's QueryClient calls them.
import { keccak256, stringToHex } from "viem";
import { queryRefused } from "./messages.js";

/**
 * The sqlHash of `sql` on DataDAO `dlpId` with its result encrypted to `resultKey` (0x-hex public key):
 * what `QueryRequestDigest.sqlHash` binds it into, for a query's request and a compute task alike.
 */
export function resultKeySqlHash(dlpId, resultKey, sql) {
  return keccak256(stringToHex(`dlp${dlpId} result-key ${resultKey.toLowerCase()}\n${sql}`));
}

async function post(service, path, body) {
  let response;
  try {
    response = await fetch(`${service.url}${path}`, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body) });
  } catch (error) {
    throw new Error(`The query service at ${service.url} did not answer: ${error.message}`);
  }
  const answer = await response.json().catch(() => ({ error: "an answer that is not JSON" }));
  if (response.status !== 200) throw new Error(queryRefused(service.url, response.status, answer.error ?? "no reason given"));
  return answer;
}

/**
 * What `sql` on DataDAO `dlpId` costs `caller`, which permissions it uses and which tables and columns
 * it reads (the quote anyone may ask); refused naming the column `caller` may not read.
 */
export function price(service, sql, dlpId, caller) {
  return quoted(service, "/query/price", sql, dlpId, caller);
}

/**
 * What a compute task selecting `sql` on DataDAO `dlpId` pays for its data, as `price` answers
 * (rows are priced, not refused: they stay in the worker's enclave); data with terms needs a license
 * of `scope`, "compute" or "training".
 */
export function priceSelection(service, sql, dlpId, caller, scope) {
  return quoted(service, "/task/price", sql, dlpId, caller, { scope });
}

async function quoted(service, path, sql, dlpId, caller, more = {}) {
  const quote = await post(service, path, { sql, dlp_id: Number(dlpId), caller, ...more });
  // A signature or a payment would go to whoever the reply names, so it must be the service on-chain.
  if (quote.service?.toLowerCase() !== service.address) {
    throw new Error(`The query service at ${service.url} answers as ${quote.service}, not as DataDAO ${dlpId}'s service ${service.address}.`);
  }
  return { ...quote, price: BigInt(quote.price) };
}

/** Runs a signed query (`body` as POST /query takes it); answers once the service has charged it on-chain. */
export function run(service, body) {
  return post(service, "/query", body);
}
