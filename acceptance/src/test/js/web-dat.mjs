// Data Anchoring Tokens on the contributor page in Debian's Chromium (driven by playwright-core),
// with an injected EIP-1193 wallet backed by an anvil key (PROTOCOL.md §15), on a phone-sized
// screen. One STEP of WebDatTest's story per run:
// - sell (Alice): her file shows its token (id, shareRatio) and "Your tokens" lists it; a malformed
//   new holder, the zero address and a malformed token id are told before anything is sent,
//   another's token is refused by the contract's error name, and her token is transferred to BOB:
//   the file then shows it sold, earnings going to BOB.
// - after (Alice, once a paid query read the file): the file shows the token sold and nothing
//   pending for her, its share pending for the holder; she holds no token, claiming is told there is
//   nothing left, and transferring the sold token again is refused by the contract's error name.
// - buy (Bob): "Your tokens" lists the token as bought with the file's rows read and pending share;
//   "Claim earnings" claims the leaf and pulls the share, each transaction's hash in the step log,
//   and the token then shows nothing pending.
// Every request must go to 127.0.0.1. Prints one JSON line of what it saw; any failure exits non-zero.
//
// Run: node web-dat.mjs, with the environment STEP, WEB_URL, RPC_URL, CHAIN_ID, PRIVATE_KEY, FILE_ID
// (Alice's), TOKEN_ID (its token), OTHERS_TOKEN_ID (another contributor's), SHARE_RATIO (TOKEN_ID's),
// BOB (the buyer's address), TIMEOUT_SECONDS; for after and buy also ROWS (FILE_ID's rows read in
// query QUERY_ID), PENDING (its share, in ETH), QUERY_ID; for buy SCREENSHOT (where to save the page).
import { privateKeyToAccount } from "viem/accounts";
import { claimOneLeaf, HASH, launchBrowser, openPage, submit as submitForm } from "./browser-wallet.mjs";
import { check, env } from "./script-support.mjs";

const timeout = 1000 * Number(env("TIMEOUT_SECONDS"));
const browser = await launchBrowser();
const offLoopback = [];
const card = `.file[data-file-id="${env("FILE_ID")}"]`;
const token = `.token[data-token-id="${env("TOKEN_ID")}"]`;
const bob = env("BOB").toLowerCase();
const NOT_HELD = "DataAnchoringTokenNotHolder";

const submit = (page, fields, button) => submitForm(page, "log", fields, button);
const text = async (page, selector) => (await page.textContent(selector)).toLowerCase();

/** Alice's sale: her token shown, two refusals, then the transfer. */
async function sell(page) {
  await page.waitForSelector(`${card}:has-text("DAT ")`);
  const shown = await page.textContent(card);
  check(shown.includes(`DAT ${env("TOKEN_ID")}, shareRatio ${env("SHARE_RATIO")} bps`), `the file's token shows as: ${shown}`);
  const listed = await page.textContent(token);
  check(!listed.includes("(bought)") && listed.includes("not read yet"), `her token is listed as: ${listed}`);
  const malformed = await submit(page, { "transfer-token": env("TOKEN_ID"), "transfer-to": "0xb0b" }, "transfer");
  check(malformed.error === "The new holder must be an address (0x and 40 hex digits); got \"0xb0b\".",
    `a malformed new holder was told: ${malformed.error}`);
  const nobody = await submit(page, { "transfer-to": `0x${"0".repeat(40)}` }, "transfer");
  check(nobody.error?.startsWith("The new holder must not be the zero address"), `the zero address was told: ${nobody.error}`);
  const badId = await submit(page, { "transfer-token": "one", "transfer-to": bob }, "transfer");
  check(badId.error === "The token id must be a whole number from 1 up, in decimal or 0x-hex; got \"one\".",
    `a malformed token id was told: ${badId.error}`);
  const refused = await submit(page, { "transfer-token": env("OTHERS_TOKEN_ID"), "transfer-to": bob }, "transfer");
  check(refused.error?.includes(NOT_HELD), `transferring another's token showed: ${refused.error}`);
  await page.click(`${token} button`); // the token's own Transfer button fills in its id
  check(await page.inputValue("#transfer-token") === env("TOKEN_ID"), "the token's Transfer button fills in its id");
  const sent = await submit(page, { "transfer-to": bob }, "transfer");
  check(sent.error === null && sent.lines.length === 1 && HASH.test(sent.lines[0])
    && sent.lines[0].toLowerCase().startsWith(`transferred token ${env("TOKEN_ID")} to ${bob}`),
    `the transfer showed: ${sent.lines.join(" / ")} / ${sent.error}`);
  const after = await text(page, card);
  check(after.includes(`sold: earnings go to ${bob}`), `after the sale the file shows as: ${after}`);
  const tokens = await page.textContent("#tokens");
  check(tokens.includes("holds no Data Anchoring Token"), `after the sale her tokens show as: ${tokens}`);
  return { malformed: malformed.error, refused: refused.error };
}

/** Alice's page once the query read her sold file. */
async function after(page) {
  await page.waitForSelector(`${card}:has-text("rows read")`);
  const shown = await text(page, card);
  check(shown.includes(`sold: earnings go to ${bob}`), `the sold file shows as: ${shown}`);
  check(shown.includes(`${env("ROWS")} rows read in 1 paid query or task · nothing pending · ${env("PENDING")} eth pending for its token's holder`),
    `the sold file's earnings show as: ${shown}`);
  const summary = await page.textContent("#earnings");
  check(summary.includes("nothing pending in your files' leaves"), `her earnings show as: ${summary}`);
  const again = await submit(page, {}, "claim-earnings");
  check(again.error?.startsWith("Nothing left to claim"), `claiming showed: ${again.error}`);
  const refused = await submit(page, { "transfer-token": env("TOKEN_ID"), "transfer-to": bob }, "transfer");
  check(refused.error?.includes(NOT_HELD), `transferring the sold token again showed: ${refused.error}`);
  return { refused: refused.error, again: again.error };
}

/** Bob's page: the bought token's share, claimed. */
async function buy(page) {
  await page.waitForSelector(`${token}:has-text("rows read")`);
  const listed = await page.textContent(token);
  check(listed.includes(`File ${env("FILE_ID")} in `) && listed.includes("(bought)")
    && listed.includes(`DAT ${env("TOKEN_ID")}, shareRatio ${env("SHARE_RATIO")} bps`)
    && listed.includes(`${env("ROWS")} rows read in 1 paid query or task · ${env("PENDING")} ETH pending`),
  `the bought token is listed as: ${listed}`);
  await claimOneLeaf(page, { pending: env("PENDING"), queryId: env("QUERY_ID"), screenshot: env("SCREENSHOT") });
  const done = await page.textContent(token);
  check(done.includes("rows read in 1 paid query or task · nothing pending"), `after claiming the token shows as: ${done}`);
  return {};
}

const STEPS = { sell, after, buy };

try {
  const { page, errors } = await openPage(browser, { url: env("WEB_URL"), rpcUrl: env("RPC_URL"), chainId: Number(env("CHAIN_ID")),
    account: privateKeyToAccount(env("PRIVATE_KEY")), viewport: { width: 390, height: 844 }, timeout, offLoopback });
  await page.click("#connect");
  const seen = await STEPS[env("STEP")](page);
  const hashes = await page.locator("#log code").allTextContents(); // each transaction's hash, and nothing else
  check(errors.length === 0, `the page threw: ${errors.join("; ")}`);
  check(offLoopback.length === 0, `the page asked hosts other than 127.0.0.1: ${offLoopback.join(", ")}`);
  console.log(JSON.stringify({ hashes, ...seen }));
} finally {
  await browser.close();
}
