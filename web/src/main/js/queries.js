// The DataDAO's query service (a validator's node, on loopback), which admits the app's origin:
// POST /query/price and POST /query as the SDK's QueryClient calls them.
import { queryRefused } from "./messages.js";

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
export async function price(service, sql, dlpId, caller) {
  const quote = await post(service, "/query/price", { sql, dlp_id: Number(dlpId), caller });
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
