// The web app's DataDAO owner page in Debian's Chromium (driven by playwright-core), with an injected
// EIP-1193 wallet backed by an anvil key (PROTOCOL.md §15). The owner creates a DataDAO with the
// sample's program (a budget below one reward and a broken program told first) and sees it; sees
// the sample DataDAO with the validated file and its score, its refiner and tables, its revenue and
// the permission a builder asked for; grants a permission with a price, approves the builder's,
// revokes the granted one, allows two algorithms and disallows the second, each transaction's hash
// in the step log; a malformed price or digest is told before anything is sent. A stranger's wallet
// sees no DataDAO and is refused, by the contract's error name, approving or revoking the owner's
// permission, granting one to the owner, and allowing or disallowing an algorithm on the owner's
// DataDAO. Every request must go to 127.0.0.1. Prints one JSON line of what it saw; any failure exits non-zero.
//
// Run: node web-owner.mjs, with the environment WEB_URL, RPC_URL, CHAIN_ID, OWNER_KEY (owns DataDAO
// DLP_ID), STRANGER_KEY (a funded wallet owning none), FILE_ID (validated for DLP_ID), REFINER_ID,
// REVENUE (the owner's query earnings, in ETH), PENDING_ID (a permission awaiting approval),
// KEPT_DIGEST, DROPPED_DIGEST, STRANGER_DIGEST, PROGRAM (a valid program's JSON), SCREENSHOT (where
// to save the page), TIMEOUT_SECONDS.
import { privateKeyToAccount } from "viem/accounts";
import { launchBrowser, openPage, submit as submitForm } from "./browser-wallet.mjs";
import { check, env } from "./script-support.mjs";

const timeout = 1000 * Number(env("TIMEOUT_SECONDS"));
const chainId = Number(env("CHAIN_ID"));
const browser = await launchBrowser();
const offLoopback = [];

const account = (key) => privateKeyToAccount(key);

function ownerPage(key, viewport) {
  return openPage(browser, { url: `${env("WEB_URL")}/#owner`, rpcUrl: env("RPC_URL"), chainId,
    account: account(key), viewport, timeout, offLoopback });
}

const submit = (page, fields, button) => submitForm(page, "owner-log", fields, button);

function sent(outcome, pattern) {
  check(outcome.error === null && pattern.test(outcome.line) && /0x[0-9a-f]{64}$/.test(outcome.line),
    `expected a transaction matching ${pattern}, saw: ${outcome.line} / ${outcome.error}`);
  return outcome.line;
}

function refused(outcome, name) {
  check(outcome.error?.includes(name), `expected a refusal naming ${name}, saw: ${outcome.error}`);
  return outcome.error;
}

try {
  const { page, errors } = await ownerPage(env("OWNER_KEY"), { width: 390, height: 844 });
  await page.click("#connect");
  await page.waitForSelector(".owned-dao");
  const badBudget = await submit(page, { "dao-name": "Steps Co-op", "dao-symbol": "STEP", "dao-reward": "10", "dao-budget": "5",
    "dao-program": env("PROGRAM") }, "create");
  check(badBudget.error === "The reward budget must hold at least one reward per file.", `a budget below one reward was told: ${badBudget.error}`);
  const badProgram = await submit(page, { "dao-budget": "1000", "dao-program": "{\"program\": " }, "create");
  check(badProgram.error?.startsWith("The program is not valid JSON: "), `a broken program was told: ${badProgram.error}`);
  const created = sent(await submit(page, { "dao-program": env("PROGRAM") }, "create"), /^created DataDAO \d+ \(pool 0x[0-9a-fA-F]{40}\), its program at http:\/\/127\.0\.0\.1:/);
  const createdId = /created DataDAO (\d+)/.exec(created)[1];
  const createdCard = await page.textContent(`.owned-dao[data-dlp-id="${createdId}"]`);
  check(createdCard.includes(`Steps Co-op (#${createdId})`) && createdCard.includes("10 STEP per file, 1000 STEP of reward budget left"),
    `the new DataDAO shows as: ${createdCard}`);
  const dao = await page.textContent(`.owned-dao[data-dlp-id="${env("DLP_ID")}"]`);
  check(dao.includes("DataCoop Sample DAO") && dao.includes("of reward budget left"), `the DataDAO shows as: ${dao}`);
  const file = await page.textContent(`.dao-file[data-file-id="${env("FILE_ID")}"]`);
  check(file.includes("validated · score 1"), `the file shows as: ${file}`);
  const refiner = await page.textContent(`.refiner[data-refiner-id="${env("REFINER_ID")}"]`);
  check(refiner.includes("tables daily_steps"), `the refiner shows as: ${refiner}`);
  const revenue = await page.textContent("#revenue");
  check(revenue.includes(`from queries: ${env("REVENUE")} ETH earned, ${env("REVENUE")} ETH unclaimed`), `the revenue shows as: ${revenue}`);
  const pending = await page.textContent(`.permission[data-permission-id="${env("PENDING_ID")}"]`);
  check(pending.endsWith("pending approval"), `the builder's permission shows as: ${pending}`);

  const badPrice = await submit(page, { "grant-refiner": env("REFINER_ID"), "grant-table": "daily_steps", "grant-price": "-1" }, "grant");
  check(badPrice.error === "The price must be an amount of ETH such as 0.01; got \"-1\".", `a bad price was told: ${badPrice.error}`);
  const granted = sent(await submit(page, { "grant-refiner": env("REFINER_ID"), "grant-grantee": "", "grant-table": "daily_steps",
    "grant-column": "distance_km", "grant-price": "0.02" }, "grant"), /^granted permission \d+ on refiner/);
  const grantedId = /granted permission (\d+)/.exec(granted)[1];
  const shown = await page.textContent(`.permission[data-permission-id="${grantedId}"]`);
  check(shown.includes("daily_steps.distance_km for anyone at 0.02 ETH per query: approved"), `the granted permission shows as: ${shown}`);
  sent(await submit(page, { "permission-id": env("PENDING_ID") }, "approve"), /^approved permission/);
  sent(await submit(page, { "permission-id": grantedId }, "revoke"), /^revoked permission/);
  check((await page.textContent(`.permission[data-permission-id="${grantedId}"]`)).endsWith(": revoked"), "the revoked permission shows so");
  const badDigest = await submit(page, { "algorithm-dao": env("DLP_ID"), "algorithm-digest": "0x1234" }, "allow");
  check(badDigest.error === "The algorithm digest must be 0x followed by 64 hex digits; got \"0x1234\".", `a bad digest was told: ${badDigest.error}`);
  sent(await submit(page, { "algorithm-digest": env("KEPT_DIGEST") }, "allow"), /^allowed algorithm/);
  sent(await submit(page, { "algorithm-digest": env("DROPPED_DIGEST") }, "allow"), /^allowed algorithm/);
  sent(await submit(page, { "algorithm-digest": env("DROPPED_DIGEST") }, "disallow"), /^disallowed algorithm/);
  const algorithms = await page.locator(".algorithm").allTextContents();
  check(algorithms.length === 1 && algorithms[0] === env("KEPT_DIGEST"), `the allowed algorithms show as: ${algorithms}`);
  const hashes = await page.locator("#owner-log code").allTextContents(); // each transaction's hash, and nothing else
  await page.screenshot({ path: env("SCREENSHOT"), fullPage: true });

  // A stranger's wallet: no DataDAO, and the owner's permission and DataDAO out of its reach.
  const stranger = await ownerPage(env("STRANGER_KEY"), { width: 1024, height: 768 });
  await stranger.page.click("#connect");
  await stranger.page.waitForSelector("#owned .none:has-text('owns no DataDAO')");
  const approve = refused(await submit(stranger.page, { "permission-id": env("PENDING_ID") }, "approve"), "QueryEngineNotDataDaoOwner");
  const revoke = refused(await submit(stranger.page, { "permission-id": env("PENDING_ID") }, "revoke"), "QueryEngineNotDataDaoOwner");
  const grant = refused(await submit(stranger.page, { "grant-refiner": env("REFINER_ID"), "grant-grantee": account(env("OWNER_KEY")).address,
    "grant-table": "daily_steps", "grant-column": "steps", "grant-price": "0" }, "grant"), "QueryEngineNotGrantee");
  const disallow = refused(await submit(stranger.page, { "algorithm-dao": env("DLP_ID"), "algorithm-digest": env("KEPT_DIGEST") },
    "disallow"), "TaskCoordinatorNotDataDaoOwner");
  const allow = refused(await submit(stranger.page, { "algorithm-dao": env("DLP_ID"), "algorithm-digest": env("STRANGER_DIGEST") },
    "allow"), "TaskCoordinatorNotDataDaoOwner");

  check(errors.length === 0 && stranger.errors.length === 0, `the page threw: ${[...errors, ...stranger.errors].join("; ")}`);
  check(offLoopback.length === 0, `the page asked hosts other than 127.0.0.1: ${offLoopback.join(", ")}`);
  console.log(JSON.stringify({ createdId: Number(createdId), grantedId: Number(grantedId), hashes, refusals: [approve, revoke, grant, disallow, allow] }));
} finally {
  await browser.close();
}
