// The web app's contributor page in Debian's Chromium (driven by playwright-core), with an injected
// EIP-1193 wallet backed by an anvil key (PROTOCOL.md §15): a wallet on the wrong chain is told so;
// then, on a phone-sized screen, a file is contributed, validated, shown in "my files" and its
// reward claimed. Every request the page makes must go to 127.0.0.1 and no request body may hold
// the plaintext or the password. Prints one JSON line of what it saw; any failure exits non-zero.
//
// Run: node web-contributor.mjs, with the environment WEB_URL, RPC_URL, CHAIN_ID, PRIVATE_KEY (a
// funded wallet), FILE (the file to contribute), SCREENSHOT (where to save the page), TIMEOUT_SECONDS.
import { readFileSync } from "node:fs";
import { chromium } from "playwright-core";
import { createWalletClient, defineChain, http, publicActions } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { check, env } from "./script-support.mjs";

const SEED = "Please sign to retrieve your encryption key";
const timeout = 1000 * Number(env("TIMEOUT_SECONDS"));
const chainId = Number(env("CHAIN_ID"));
const chain = defineChain({ id: chainId, name: "devnet", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [env("RPC_URL")] } } });
const account = privateKeyToAccount(env("PRIVATE_KEY"));
const wallet = createWalletClient({ account, chain, transport: http() }).extend(publicActions);
const plaintext = readFileSync(env("FILE"));
const password = (await account.signMessage({ message: SEED })).toLowerCase();

/** The wallet's answer to one EIP-1193 request; `walletChainId` is the chain it says it is on. */
async function answer(walletChainId, method, params) {
  switch (method) {
    case "eth_requestAccounts":
    case "eth_accounts":
      return [account.address];
    case "eth_chainId":
      return `0x${walletChainId.toString(16)}`;
    case "wallet_switchEthereumChain":
      if (walletChainId !== chainId) throw Object.assign(new Error("the user refused to switch"), { code: 4001 });
      return null;
    case "personal_sign":
      return account.signMessage({ message: { raw: params[0] } });
    case "eth_sendTransaction": {
      const tx = params[0];
      return wallet.sendTransaction({ to: tx.to, data: tx.data, value: tx.value ? BigInt(tx.value) : undefined,
        gas: tx.gas ? BigInt(tx.gas) : undefined });
    }
    default:
      return wallet.request({ method, params });
  }
}

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu",
  "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const offLoopback = [];
const leaks = [];

async function openPage(walletChainId, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== "127.0.0.1") {
      offLoopback.push(route.request().url());
      return route.abort();
    }
    const body = route.request().postDataBuffer();
    if (body && (body.includes(plaintext) || body.includes(Buffer.from(password)) || body.includes(Buffer.from(password.slice(2))))) {
      leaks.push(route.request().url());
      return route.abort();
    }
    return route.continue();
  });
  await page.exposeFunction("testWallet", async (method, params) => {
    try {
      return { result: await answer(walletChainId, method, params) };
    } catch (error) {
      return { error: { code: error.code ?? -32603, message: error.shortMessage ?? error.message } };
    }
  });
  await page.addInitScript(() => {
    const provider = {
      async request({ method, params }) {
        const reply = await window.testWallet(method, params ?? []);
        if (reply.error) throw Object.assign(new Error(reply.error.message), { code: reply.error.code });
        return reply.result;
      },
      on() {},
      removeListener() {},
    };
    window.addEventListener("eip6963:requestProvider", () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", {
      detail: Object.freeze({ info: { uuid: "8d7c4f36-0000-4000-8000-000000000001", name: "Test wallet",
        icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E", rdns: "org.datacoop.test" }, provider }),
    })));
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(env("WEB_URL"));
  return { page, errors };
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
