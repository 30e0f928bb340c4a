// What the web app's browser scripts share (PROTOCOL.md §15): Debian's Chromium driven by
// playwright-core, and a page with an injected EIP-1193 wallet (announced with EIP-6963) whose
// requests a viem wallet backed by an anvil key answers (personal_sign, eth_signTypedData_v4 and
// eth_sendTransaction signed by the key itself). Every request the page makes off
// 127.0.0.1 is recorded and aborted; every request body can be inspected.
import { chromium } from "playwright-core";
import { createWalletClient, defineChain, http, publicActions } from "viem";

export function launchBrowser() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
}

/** The wallet's answer to one EIP-1193 request; `walletChainId` is the chain it says it is on. */
function answerer(wallet, chainId, walletChainId) {
  const { account } = wallet;
  return async (method, params) => {
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
      case "eth_signTypedData_v4":
        if (params[0].toLowerCase() !== account.address.toLowerCase()) throw new Error(`this wallet does not hold ${params[0]}`);
        return account.signTypedData(JSON.parse(params[1]));
      case "eth_sendTransaction": {
        const tx = params[0];
        return wallet.sendTransaction({ to: tx.to, data: tx.data, value: tx.value ? BigInt(tx.value) : undefined,
          gas: tx.gas ? BigInt(tx.gas) : undefined });
      }
      default:
        return wallet.request({ method, params });
    }
  };
}

/**
 * Opens `url` in a new context of `browser` on a `viewport`-sized screen, the wallet of `account`
 * (a viem local account) on chain `walletChainId` injected; requests off 127.0.0.1 go to
 * `offLoopback`, and a request whose body `inspect` refuses is aborted. Returns the page and the
 * errors it throws.
 */
export async function openPage(browser, { url, rpcUrl, chainId, account, walletChainId = chainId, viewport, timeout,
  offLoopback, inspect = () => true }) {
  const chain = defineChain({ id: chainId, name: "devnet", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } } });
  const answer = answerer(createWalletClient({ account, chain, transport: http() }).extend(publicActions), chainId, walletChainId);
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  await page.route("**/*", (route) => {
    const requested = new URL(route.request().url());
    if (requested.hostname !== "127.0.0.1") {
      offLoopback.push(route.request().url());
      return route.abort();
    }
    const body = route.request().postDataBuffer();
    return body && !inspect(route.request().url(), body) ? route.abort() : route.continue();
  });
  await page.exposeFunction("testWallet", async (method, params) => {
    try {
      return { result: await answer(method, params) };
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
  await page.goto(url);
  return { page, errors };
}

/**
 * Fills `fields` (input id: value) of `page`, clicks `button`, and waits until step log `log` (an
 * element id) grows or the error line shows, and the button is enabled again (the page has reread
 * the chain). Returns the log's lines added, its last line, and the error shown (null when none).
 */
export async function submit(page, log, fields, button) {
  for (const [id, value] of Object.entries(fields)) await page.fill(`#${id}`, value);
  const before = await page.locator(`#${log} li`).count();
  await page.click(`#${button}`);
  await page.waitForFunction(([id, count]) => document.querySelectorAll(`#${id} li`).length > count
    || !document.querySelector("#error").hidden, [log, before]);
  await page.waitForSelector(`#${button}:not([disabled])`);
  const error = await page.locator("#error:not([hidden])").count() ? await page.textContent("#error") : null;
  const lines = await page.locator(`#${log} li`).allTextContents();
  return { lines: lines.slice(before), line: lines.at(-1), error };
}
