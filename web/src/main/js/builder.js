// The builder's page: what `coop query` does, from the browser wallet. The tables of every DataDAO
// with the column permissions this wallet (or anyone) holds, a form to ask for one, the wallet's
// deposit in the QueryEngine and a top-up, and SQL: priced by the DataDAO's query service, signed in
// the wallet as the SDK signs it (EIP-712, a result key bound into the sqlHash), paid from the
// deposit, and its result decrypted here with a key made for it that never leaves the page.
import { formatUnits, zeroAddress } from "viem";
import { resultKeyPair, unwrapEcies } from "./crypto.js";
import { depositTooSmall } from "./messages.js";
import { price, resultKeySqlHash, run } from "./queries.js";
import { $, ether, item, list, note, onAction, permissionText, prefill, step, text, wholeNumber } from "./ui.js";

/** A request may be settled until this long after the latest block, as the SDK's. */
const DEADLINE_SECONDS = 600n;

const log = (line, hash) => step($("builder-log"), line, hash);

/** Reads the DataDAOs' tables, the permissions the wallet may use and its deposit; wires the forms. */
export async function showBuilder(chain) {
  wire(chain);
  $("tables").replaceChildren(note("reading the chain ..."));
  const daos = await chain.dataDaos();
  const cards = await Promise.all(daos.map((dao) => card(chain, dao)));
  $("tables").replaceChildren(...(cards.length ? cards : [note("This deployment has no DataDAO yet.")]));
  $("deposit").textContent = `Your deposit in the QueryEngine: ${formatUnits(await chain.deposit(), 18)} ETH`;
  const queryable = cards.find((element) => element.querySelector(".table"));
  if (queryable) {
    prefill("query-dao", queryable.dataset.dlpId);
    prefill("request-refiner", queryable.querySelector(".table").dataset.refinerId);
  }
}

/** DataDAO `dao`'s refiners and their tables, each with the permissions granted to this wallet or to anyone. */
async function card(chain, dao) {
  const refiners = await chain.refiners(dao);
  const section = document.createElement("article");
  section.className = "queryable-dao";
  section.dataset.dlpId = dao.id.toString();
  const heading = document.createElement("h3");
  heading.textContent = `${dao.name} (#${dao.id})`;
  const tables = [];
  const grants = [];
  for (const refiner of refiners) {
    const from = `refiner ${refiner.id} (${refiner.name})`;
    if (!Array.isArray(refiner.tables)) tables.push(item("table", `${from}: ${refiner.tables}`, { refinerId: refiner.id.toString() }));
    else {
      for (const table of refiner.tables) {
        tables.push(item("table", `${table.name} (${table.columns.join(", ")}), from ${from}`,
          { refinerId: refiner.id.toString(), table: table.name }));
      }
    }
    const usable = (await chain.permissions(refiner.id)).filter((permission) => !permission.revoked
      && [chain.account, zeroAddress].includes(permission.grantee.toLowerCase()));
    grants.push(...usable.map((permission) => item("grant", permissionText(permission), { permissionId: permission.id.toString() })));
  }
  section.append(heading, list("Tables", tables, "no refined tables"), list("Permissions you may use", grants, "none yet: ask for one below"));
  return section;
}

/** Runs `action` from `button`, then rereads the page. */
function act(chain, button, action) {
  onAction(button, "builder-log", action, () => showBuilder(chain));
}

function sql() {
  return text("sql", "The SQL");
}

/** `value` of `quote`'s token in words. */
function amount(value, token) {
  return `${formatUnits(value, token.decimals)} ${token.symbol}`;
}

/** Prices the SQL typed for this wallet and shows what it would pay for; returns the service, the quote and its token. */
async function quoted(chain) {
  const dlpId = wholeNumber("query-dao", "The DataDAO id");
  const query = sql();
  const service = await chain.queryService(dlpId);
  const quote = await price(service, query, dlpId, chain.account);
  const token = await chain.tokenInfo(quote.token);
  const uses = quote.permissions.map((permission) => `permission ${permission.id} (${permission.scope})`).join(", ");
  const reads = quote.tables.map((table) => `${table.table}: ${table.columns.join(", ")}`).join("; ");
  $("quote").textContent = `Price ${amount(quote.price, token)}, paying ${uses || "no permission"}; reads ${reads}`;
  return { dlpId, query, service, quote, token };
}

/**
 * The signed body of POST /query for `query` as `quote` priced it, paying at most the quoted price,
 * its result encrypted to `resultKey`: bound into the sqlHash as `QueryRequestDigest.sqlHash` binds it.
 */
async function signed(chain, { dlpId, query, service, quote }, resultKey) {
  const nonce = crypto.getRandomValues(new BigUint64Array(1))[0] >> 1n; // 63 bits, as the SDK's
  const request = { grantee: chain.account, service: service.address,
    sqlHash: resultKeySqlHash(dlpId, resultKey, query), token: quote.token,
    maxPrice: quote.price, nonce, deadline: (await chain.latestBlockSeconds()) + DEADLINE_SECONDS };
  const signature = await chain.signQuery(request);
  return { sql: query, dlp_id: Number(dlpId), result_key: resultKey, signature, request: { grantee: request.grantee,
    service: request.service, sql_hash: request.sqlHash, token: request.token, max_price: request.maxPrice.toString(),
    nonce: request.nonce.toString(), deadline: Number(request.deadline) } };
}

/** A JSON.parse reviver keeping an integer beyond 2^53 (a sum of BIGINTs) as the digits the node wrote, not a rounded number. */
function exactIntegers(_key, value, context) {
  return Number.isInteger(value) && !Number.isSafeInteger(value) && context?.source ? context.source : value;
}

function showResult(result) {
  const head = document.createElement("tr");
  head.replaceChildren(...result.columns.map((column) => Object.assign(document.createElement("th"), { textContent: column })));
  const rows = result.rows.map((row) => {
    const tr = document.createElement("tr");
    tr.replaceChildren(...row.map((value) => Object.assign(document.createElement("td"), { textContent: value === null ? "NULL" : String(value) })));
    return tr;
  });
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  tbody.replaceChildren(...rows);
  $("result").replaceChildren(thead, tbody);
  $("result").hidden = false;
}

async function runQuery(chain) {
  const priced = await quoted(chain);
  const { quote, token, service } = priced;
  const deposit = await chain.deposit(quote.token);
  if (deposit < quote.price) throw new Error(depositTooSmall(amount(deposit, token), amount(quote.price, token)));
  const key = resultKeyPair();
  log(`sign the query request in your wallet: at most ${amount(quote.price, token)} from your deposit, `
    + "its result encrypted to a key made in this browser");
  const body = await signed(chain, priced, key.publicKey);
  log(`sent to the query service at ${service.url}`);
  const answer = await run(service, body);
  log(`paid ${amount(BigInt(answer.price), token)} for query ${answer.query_id}`, answer.tx_hash);
  let result;
  try {
    result = JSON.parse(new TextDecoder().decode(await unwrapEcies(answer.encrypted_result, key.privateKey)), exactIntegers);
  } catch (error) {
    throw new Error(`The query was paid (${answer.tx_hash}) but its result does not open: ${error.message}`);
  }
  showResult(result);
  const left = await chain.deposit(quote.token);
  log(`decrypted ${result.rows.length} ${result.rows.length === 1 ? "row" : "rows"} in this browser; `
    + `charged ${amount(BigInt(answer.price), token)}, ${amount(left, token)} left in your deposit`);
}

function wire(chain) {
  act(chain, "request-permission", async () => {
    const refinerId = wholeNumber("request-refiner", "The refiner id");
    const granted = await chain.grant(refinerId, chain.account, text("request-table", "The table"), $("request-column").value.trim(),
      ether("request-price", "The price"));
    log(`asked for permission ${granted.permissionId} on refiner ${refinerId}`
      + (granted.approved ? " (approved: you own the DataDAO)" : ", pending the DataDAO owner's approval"), granted.hash);
  });
  act(chain, "top-up", async () => {
    const value = ether("top-up-amount", "The amount to add");
    if (value === 0n) throw new Error("The amount to add must be above 0.");
    log(`added ${formatUnits(value, 18)} ETH to your deposit`, await chain.topUp(value));
  });
  act(chain, "price-query", async () => {
    $("quote").textContent = "";
    const { quote, token } = await quoted(chain);
    log(`priced at ${amount(quote.price, token)}`);
  });
  act(chain, "run-query", async () => {
    $("quote").textContent = "";
    $("result").hidden = true;
    await runQuery(chain);
  });
}
