// The contributor page's earnings and key shares in Debian's Chromium (driven by playwright-core),
// with an injected EIP-1193 wallet backed by an anvil key (PROTOCOL.md §15), on a phone-sized
// screen: the wallet's file shows its rows read in the paid query, its pending share and who holds
// its key; "Claim earnings" claims the leaf and pulls the credited share, each transaction's hash in
// the step log, and the file then shows the share claimed and nothing pending; claiming again is
// told there is nothing left. A malformed file id is told before anything is sent; revoking the
// validator's key share of another's file is refused by the contract's error name, and of the
// wallet's own file lands. Every request must go to 127.0.0.1. Prints one JSON line of what it saw;
// any failure exits non-zero.
//
// Run: node web-earnings.mjs, with the environment WEB_URL, RPC_URL, CHAIN_ID, PRIVATE_KEY (owns
// FILE_ID), FILE_ID, OTHERS_FILE_ID (another wallet's), ROWS (FILE_ID's rows read in query
// QUERY_ID), PENDING (its share, in ETH), QUERY_ID, VALIDATOR (holds both files' keys), SCREENSHOT
// (where to save the page), TIMEOUT_SECONDS.
import { privateKeyToAccount } from "viem/accounts";
import { claimOneLeaf, HASH, launchBrowser, openPage, submit as submitForm } from "./browser-wallet.mjs";
import { check, env } from "./script-support.mjs";

const timeout = 1000 * Number(env("TIMEOUT_SECONDS"));
const browser = await launchBrowser();
const offLoopback = [];
const card = `.file[data-file-id="${env("FILE_ID")}"]`;
const validator = env("VALIDATOR").toLowerCase();

const submit = (page, fields, button) => submitForm(page, "log", fields, button);

try {
  const { page, errors } = await openPage(browser, { url: env("WEB_URL"), rpcUrl: env("RPC_URL"), chainId: Number(env("CHAIN_ID")),
    account: privateKeyToAccount(env("PRIVATE_KEY")), viewport: { width: 390, height: 844 }, timeout, offLoopback });
  await page.click("#connect");
  await page.waitForSelector(`${card}:has-text("rows read")`);
  const before = (await page.textContent(card)).toLowerCase();
  check(before.includes(`${env("ROWS")} rows read in 1 paid query or task · ${env("PENDING")} eth pending · nothing claimed`),
    `the file's earnings show as: ${before}`);
  check(before.includes(`key shared with ${validator}`), `the file's key holders show as: ${before}`);
  await claimOneLeaf(page, { pending: env("PENDING"), queryId: env("QUERY_ID"), screenshot: env("SCREENSHOT") });
  const after = await page.textContent(card);
  check(after.includes(`nothing pending · ${env("PENDING")} ETH claimed`), `after claiming the file shows as: ${after}`);
  const again = await submit(page, {}, "claim-earnings");
  check(again.error?.startsWith("Nothing left to claim") && again.lines.every((line) => line.startsWith("stopped: ")),
    `claiming again showed: ${again.lines.join(" / ")} / ${again.error}`);

  const malformed = await submit(page, { "revoke-file": "one", "revoke-account": env("VALIDATOR") }, "revoke-key");
  check(malformed.error === "The file id must be a whole number from 1 up; got \"one\".", `a malformed file id was told: ${malformed.error}`);
  const refused = await submit(page, { "revoke-file": env("OTHERS_FILE_ID") }, "revoke-key");
  check(refused.error?.includes("DataRegistryNotFileOwner"), `revoking on another's file showed: ${refused.error}`);
  const revoked = await submit(page, { "revoke-file": env("FILE_ID") }, "revoke-key");
  check(revoked.error === null && revoked.lines.length === 1 && HASH.test(revoked.lines[0])
    && revoked.lines[0].toLowerCase().startsWith(`revoked file ${env("FILE_ID")}'s key share from ${validator} `),
    `revoking showed: ${revoked.lines.join(" / ")} / ${revoked.error}`);
  const revokedCard = (await page.textContent(card)).toLowerCase();
  check(!revokedCard.includes(validator), `after revoking the file shows as: ${revokedCard}`);

  const hashes = await page.locator("#log code").allTextContents(); // each transaction's hash, and nothing else
  check(errors.length === 0, `the page threw: ${errors.join("; ")}`);
  check(offLoopback.length === 0, `the page asked hosts other than 127.0.0.1: ${offLoopback.join(", ")}`);
  console.log(JSON.stringify({ hashes, refused: refused.error, again: again.error }));
} finally {
  await browser.close();
}
