// The web app's contributor page in Debian's Chromium (driven by playwright-core), with an injected
// EIP-1193 wallet backed by an anvil key (PROTOCOL.md §15): a wallet on the wrong chain is told so;
// then, on a phone-sized screen, a file is contributed, validated, shown in "my files" and its
// reward claimed. Every request the page makes must go to 127.0.0.1 and no request body may hold
// the plaintext or the password. Prints one JSON line of what it saw; any failure exits non-zero.
//
// Run: node web-contributor.mjs, with the environment WEB_URL, RPC_URL, CHAIN_ID, PRIVATE_KEY (a
// funded wallet), FILE (the file to contribute), SCREENSHOT (where to save the page), TIMEOUT_SECONDS.
import { readFileSync } from "node:fs";
import { privateKeyToAccount } from "viem/accounts";
import { launchBrowser, openPage as open } from "./browser-wallet.mjs";
import { check, env } from "./script-support.mjs";

const SEED = "Please sign to retrieve your encryption key";
const timeout = 1000 * Number(env("TIMEOUT_SECONDS"));
const chainId = Number(env("CHAIN_ID"));
const account = privateKeyToAccount(env("PRIVATE_KEY"));
const plaintext = readFileSync(env("FILE"));
const password = (await account.signMessage({ message: SEED })).toLowerCase();

const browser = await launchBrowser();
const offLoopback = [];
const leaks = [];

function openPage(walletChainId, viewport) {
  return open(browser, { url: env("WEB_URL"), rpcUrl: env("RPC_URL"), chainId, account, walletChainId, viewport, timeout,
    offLoopback, inspect: (url, body) => {
      const leaked = body.includes(plaintext) || body.includes(Buffer.from(password)) || body.includes(Buffer.from(password.slice(2)));
      if (leaked) leaks.push(url);
      return !leaked;
    } });
}

try {
  // A wallet on another chain that refuses to switch is told so in words.
  const wrong = await openPage(1, { width: 1024, height: 768 });
  await wrong.page.click("#connect");
  await wrong.page.waitForSelector("#error:not([hidden])");
  const wrongChain = await wrong.page.textContent("#error");
  check(wrongChain.includes(`on chain 1, not this DataCoop's chain ${chainId}`), `the wrong chain was told: ${wrongChain}`);

  // The contribution, on a phone-sized screen.
  const { page, errors } = await openPage(chainId, { width: 390, height: 844 });
  await page.click("#connect");
  await page.waitForSelector("#app:not([hidden])");
  await page.waitForSelector(".dao");
  const dao = await page.textContent(".dao");
  check(dao.includes("DataCoop Sample DAO") && dao.includes("per file") && dao.includes("left"), `the DataDAO shows as: ${dao}`);
  await page.click("#contribute"); // no file picked yet
  await page.waitForSelector("#error:not([hidden])");
  const noFile = await page.textContent("#error");
  check(noFile === "Pick a file to contribute first.", `contributing without a file was told: ${noFile}`);
  await page.setInputFiles("#file", env("FILE"));
  await page.click("#contribute");
  await page.waitForSelector("#error", { state: "hidden" });
  await page.waitForFunction(() => /job \d+: (validated|failed|cancelled)/.test(document.querySelector("#log").textContent)
    || !document.querySelector("#error").hidden);
  const log = await page.textContent("#log");
  check(/job \d+: validated/.test(log), `the step log ended: ${log} / ${await page.textContent("#error")}`);
  const hashes = log.match(/0x[0-9a-f]{64}/g) ?? [];
  check(hashes.length === 3, `the step log shows ${hashes.length} transaction hashes, not 3: ${log}`);
  const fileId = Number(/registered as file (\d+)/.exec(log)[1]);
  await page.click(`.file[data-file-id="${fileId}"] button`);
  await page.waitForFunction((id) => /reward .* paid/.test(document.querySelector(`.file[data-file-id="${id}"]`).textContent), fileId);
  const card = await page.textContent(`.file[data-file-id="${fileId}"]`);
  check(/validated · score 1 · reward 100 SDAT paid/.test(card), `my files shows: ${card}`);
  await page.screenshot({ path: env("SCREENSHOT"), fullPage: true });
  check(errors.length === 0, `the page threw: ${errors.join("; ")}`);
  check(offLoopback.length === 0, `the page asked hosts other than 127.0.0.1: ${offLoopback.join(", ")}`);
  check(leaks.length === 0, `the plaintext or the password was in the body of requests to ${leaks.join(", ")}`);
  console.log(JSON.stringify({ fileId, wrongChain, card, hashes }));
} finally {
  await browser.close();
}
