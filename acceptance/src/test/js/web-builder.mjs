// The web app's builder page in Debian's Chromium (driven by playwright-core), with an injected
// EIP-1193 wallet backed by a builder's key (PROTOCOL.md §15). The builder sees the sample DataDAO's
// table with its columns and the permission granted to it; a query with an empty deposit is refused
// naming both amounts; it tops up its deposit, prices and runs SQL, and the page shows the table it
// decrypted, the charge and the deposit left; a query naming a column it may not read is refused
// naming the column, with the deposit unchanged; it asks for a permission on another column, which
// waits for the owner. A stranger's wallet sees no permission to use and is refused the same SQL
// naming the column. Every request must go to 127.0.0.1, and POST /query carries the result key's
// public half and nothing else of it. Prints one JSON line of what it saw; any failure exits non-zero.
//
// Run: node web-builder.mjs, with the environment WEB_URL, RPC_URL, CHAIN_ID, PRIVATE_KEY (the
// builder's, granted daily_steps.steps at PRICE ETH), DLP_ID, REFINER_ID, SQL (an aggregate over
// steps), REFUSED_SQL (naming daily_steps.owner), TOP_UP (ETH), LEFT (ETH: TOP_UP - PRICE),
// SCREENSHOT (where to save the page once it shows the paid query's table), TIMEOUT_SECONDS.
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { launchBrowser, openPage, submit as submitForm } from "./browser-wallet.mjs";
import { check, env } from "./script-support.mjs";

const browser = await launchBrowser();
const offLoopback = [];
const queries = [];
const account = privateKeyToAccount(env("PRIVATE_KEY"));

const submit = (page, fields, button) => submitForm(page, "builder-log", fields, button);

function sent(outcome, pattern) {
  check(outcome.error === null && pattern.test(outcome.line), `expected a step matching ${pattern}, saw: ${outcome.line} / ${outcome.error}`);
  return outcome.line;
}

const deposit = (page) => page.textContent("#deposit");

try {
  const { page, errors } = await openPage(browser, { url: `${env("WEB_URL")}/#builder`, rpcUrl: env("RPC_URL"),
    chainId: Number(env("CHAIN_ID")), account, viewport: { width: 390, height: 844 }, timeout: 1000 * Number(env("TIMEOUT_SECONDS")),
    offLoopback, inspect: (url, body) => {
      if (new URL(url).pathname === "/query") queries.push(JSON.parse(body.toString()));
      return true;
    } });
  await page.click("#connect");
  await page.waitForSelector(".queryable-dao .table");
  const table = await page.textContent(`.queryable-dao[data-dlp-id="${env("DLP_ID")}"] .table[data-refiner-id="${env("REFINER_ID")}"]`);
  check(table.startsWith("daily_steps (file_id, owner, day, steps, distance_km)"), `the table shows as: ${table}`);
  const grants = await page.locator(".grant").allTextContents();
  check(grants.length === 1 && grants[0].includes(`daily_steps.steps for ${account.address} at ${env("PRICE")} ETH per query: approved`),
    `the permissions the builder may use show as: ${grants}`);
  check(await deposit(page) === "Your deposit in the QueryEngine: 0 ETH", `the empty deposit shows as: ${await deposit(page)}`);

  const broke = await submit(page, { "query-dao": env("DLP_ID"), sql: env("SQL") }, "run-query");
  check(broke.error === `Your deposit of 0 ETH is less than this query's price of ${env("PRICE")} ETH; top it up first. Nothing was charged.`,
    `a query beyond the deposit was told: ${broke.error}`);
  check(queries.length === 0, "a query beyond the deposit was not sent");
  const badAmount = await submit(page, { "top-up-amount": "0" }, "top-up");
  check(badAmount.error === "The amount to add must be above 0.", `a zero top-up was told: ${badAmount.error}`);
  const topUp = sent(await submit(page, { "top-up-amount": env("TOP_UP") }, "top-up"), new RegExp(`^added ${env("TOP_UP")} ETH to your deposit 0x[0-9a-f]{64}$`));
  check(await deposit(page) === `Your deposit in the QueryEngine: ${env("TOP_UP")} ETH`, `the topped-up deposit shows as: ${await deposit(page)}`);

  await submit(page, {}, "price-query");
  const quote = await page.textContent("#quote");
  check(quote.startsWith(`Price ${env("PRICE")} ETH, paying permission `) && quote.endsWith(`reads dlp${env("DLP_ID")}.daily_steps: steps`), `the quote shows as: ${quote}`);
  const ran = await submit(page, {}, "run-query");
  sent(ran, new RegExp(`^decrypted 1 row in this browser; charged ${env("PRICE")} ETH, ${env("LEFT")} ETH left in your deposit$`));
  const paid = ran.lines.find((line) => line.startsWith("paid "));
  check(new RegExp(`^paid ${env("PRICE")} ETH for query 0x[0-9a-f]{64} 0x[0-9a-f]{64}$`).test(paid), `the payment shows as: ${paid}`);
  const columns = await page.locator("#result th").allTextContents();
  const rows = await Promise.all((await page.locator("#result tbody tr").all()).map((row) => row.locator("td").allTextContents()));
  check(await deposit(page) === `Your deposit in the QueryEngine: ${env("LEFT")} ETH`, `the deposit after the query shows as: ${await deposit(page)}`);
  check(queries.length === 1 && /^0x04[0-9a-f]{128}$/.test(queries[0].result_key), `the query carried a result key: ${JSON.stringify(queries)}`);
  // The page's POST /query names only the public half; the private key stays in the page's memory.
  check(Object.keys(queries[0]).sort().join() === "dlp_id,request,result_key,signature,sql", `POST /query carried: ${Object.keys(queries[0])}`);
  await page.screenshot({ path: env("SCREENSHOT"), fullPage: true });

  const refused = await submit(page, { sql: env("REFUSED_SQL") }, "run-query");
  check(refused.error?.includes("no permission for column daily_steps.owner") && refused.error.endsWith("Nothing was charged."),
    `a query naming a column the builder may not read was told: ${refused.error}`);
  check(queries.length === 1, "the refused query was priced, not sent");
  check(await deposit(page) === `Your deposit in the QueryEngine: ${env("LEFT")} ETH`, `the deposit after the refusal shows as: ${await deposit(page)}`);

  const asked = sent(await submit(page, { "request-refiner": env("REFINER_ID"), "request-table": "daily_steps", "request-column": "owner",
    "request-price": "0.002" }, "request-permission"), /^asked for permission \d+ on refiner \d+, pending the DataDAO owner's approval 0x[0-9a-f]{64}$/);
  const askedId = /permission (\d+)/.exec(asked)[1];
  const shown = await page.textContent(`.grant[data-permission-id="${askedId}"]`);
  check(shown.endsWith("daily_steps.owner for " + account.address + " at 0.002 ETH per query: pending approval"), `the request shows as: ${shown}`);

  // A stranger holds no permission: it sees none to use, and the same SQL is refused naming the column, before it signs anything.
  const stranger = await openPage(browser, { url: `${env("WEB_URL")}/#builder`, rpcUrl: env("RPC_URL"), chainId: Number(env("CHAIN_ID")),
    account: privateKeyToAccount(generatePrivateKey()), viewport: { width: 1024, height: 768 }, timeout: 1000 * Number(env("TIMEOUT_SECONDS")),
    offLoopback });
  await stranger.page.click("#connect");
  await stranger.page.waitForSelector(".queryable-dao .none:has-text('none yet: ask for one below')");
  const strangers = await submit(stranger.page, { "query-dao": env("DLP_ID"), sql: env("SQL") }, "run-query");
  check(strangers.error?.includes("no permission for column daily_steps.steps"), `a stranger's query was told: ${strangers.error}`);
  check(queries.length === 1, "the stranger's query was not sent");

  check(errors.length === 0 && stranger.errors.length === 0, `the page threw: ${[...errors, ...stranger.errors].join("; ")}`);
  check(offLoopback.length === 0, `the page asked hosts other than 127.0.0.1: ${offLoopback.join(", ")}`);
  const hashes = await page.locator("#builder-log code").allTextContents();
  console.log(JSON.stringify({ columns, rows, topUp, askedId: Number(askedId), refused: refused.error, hashes,
    resultKey: queries[0].result_key }));
} finally {
  await browser.close();
}
