// Every error the user sees, in words, from one table: a known failure by its name, else the
// library's own short message.
export const NOTHING_TO_CLAIM = "Nothing left to claim: every share your files earned from queries and compute tasks "
  + "is already claimed and paid out to your wallet.";

const TABLE = {
  UserRejectedRequestError: "You declined the request in your wallet; nothing was sent.",
  TeePoolInsufficientFee: "The validation fee went up while you were contributing; try again.",
  TeePoolNoActiveTee: "No validator is active on this deployment, so nobody can validate the file yet.",
  TeePoolUnknownDataDao: "That DataDAO does not exist on this deployment.",
  TeePoolJobAlreadyOpen: "This file already has an open validation job for that DataDAO.",
  TeePoolAlreadyValidated: "This file was already validated for that DataDAO.",
  DataLiquidityPoolAlreadyRewarded: "This file's reward was already paid.",
  DataLiquidityPoolInsufficientRewards: "The DataDAO's budget is too small to pay this reward.",
  QueryEngineNothingToClaim: NOTHING_TO_CLAIM,
  SettlementNothingToClaim: NOTHING_TO_CLAIM,
  QueryEngineReadAlreadyClaimed: "A share of your files was claimed meanwhile (from another window?); reload to see what is left.",
  SettlementReadAlreadyClaimed: "A share of your files was claimed meanwhile (from another window?); reload to see what is left.",
  InsufficientFundsError: "Your wallet has too little ETH to pay for this transaction and the validation fee.",
};

/** The sentence the page shows for `error`. */
export function inWords(error) {
  if (typeof error === "string") return error;
  const named = [];
  for (let cause = error; cause; cause = cause.cause) {
    named.push(cause.name, cause.data?.errorName);
    if (cause.code === 4001) named.push("UserRejectedRequestError");
  }
  const known = named.find((name) => name && TABLE[name]);
  if (known) return TABLE[known];
  let revert = error;
  while (revert && revert.name !== "ContractFunctionRevertedError") revert = revert.cause;
  if (revert) {
    const args = (revert.data?.args ?? []).map(String).join(", ");
    const why = revert.data ? `${revert.data.errorName}(${args})` : revert.reason ?? revert.signature ?? "no reason given";
    return `The contract refused ${error.functionName ?? "the call"}: ${why}`;
  }
  return error.shortMessage ?? error.message ?? String(error);
}

export function wrongChain(actual, expected) {
  return `Your wallet is on chain ${actual}, not this DataCoop's chain ${expected}, and did not switch. `
    + `Switch your wallet to chain ${expected} and connect again.`;
}

export const NO_WALLET = "No wallet found: install a browser wallet (MetaMask or another EIP-1193 wallet) and reload.";

/** A query service's refusal, in its own words (they name the column at fault, e.g. `no permission for column daily_steps.owner`). */
export function queryRefused(url, status, words) {
  return `The query service at ${url} refused the query (HTTP ${status}): ${words}. Nothing was charged.`;
}

export function depositTooSmall(deposit, price) {
  return `Your deposit of ${deposit} is less than this query's price of ${price}; top it up first. Nothing was charged.`;
}

// ---- compute tasks: refusals told before anything is paid

export function algorithmNotAllowed(dlpId, descriptor, digest) {
  return `DataDAO ${dlpId} does not allow algorithm ${descriptor} (${digest}) on its data; its owner allows it on "My DataDAOs". `
    + "Nothing was paid.";
}

export function notBuiltin(typed, names) {
  return `Unknown algorithm "${typed}": this page runs the built-ins (${names.join(", ")}), by name or digest; `
    + "a program is submitted with `coop task submit`. Nothing was paid.";
}

export function needsModel(name) {
  return `${name} applies a trained model, which this page does not send yet; use \`coop task submit --model\`. Nothing was paid.`;
}

export function paramsNotJson(why) {
  return `The params must be a JSON object, e.g. {"features": ["distance_km"], "label": {"column": "steps", "above": 8000}}: ${why}. `
    + "Nothing was paid.";
}

export function dataAboveMax(price, max) {
  return `The data costs ${price} ETH, more than the most you set, ${max} ETH. Nothing was paid.`;
}

export function balanceTooSmall(balance, value) {
  return `Your wallet holds ${balance} ETH, not enough for the task's ${value} ETH and its gas. Nothing was paid.`;
}
