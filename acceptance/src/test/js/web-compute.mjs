// The web app's compute page in Debian's Chromium (driven by playwright-core), with an injected
// EIP-1193 wallet backed by a builder's key (PROTOCOL.md §15). The builder sees the sample DataDAO's
// allowed algorithm by name and digest; an algorithm the DataDAO does not allow, params that are not
// JSON, a column it holds no permission on (in the node's words) and a data price above the most it
// set are each refused before anything is stored or sent; it prices and submits a logistic
// regression, which the worker proves, and the page decrypts the output with the key it made and
// shows the metrics and the model's digest; a task the worker fails is shown failed with the reason
// and refunded; an optimistic task is shown proposed with its challenge window's end block, and
// verified once the window has passed. Every request must go to 127.0.0.1, and the spec is stored sealed. Prints one JSON
// line of what it saw; any failure exits non-zero.
//
// Run: node web-compute.mjs, with the environment WEB_URL, RPC_URL, CHAIN_ID, PRIVATE_KEY (the
// builder's, granted daily_steps.distance_km and daily_steps.steps), DLP_ID, ALLOWED_DIGEST (logistic
// regression's), SQL and PARAMS (the training), LONELY_SQL (rows of one contributor, which the worker
// fails), DATA_PRICE (ETH), TOTAL (ETH: DATA_PRICE and the page's default worker fee), SCREENSHOT (where to save the page once it shows the output), TIMEOUT_SECONDS.
import { createPublicClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { launchBrowser, openPage, submit as submitForm, HASH } from "./browser-wallet.mjs";
import { check, env } from "./script-support.mjs";

const browser = await launchBrowser();
const offLoopback = [];
const stored = [];
const account = privateKeyToAccount(env("PRIVATE_KEY"));
const rpc = createPublicClient({ transport: http(env("RPC_URL")) });
const sent = () => rpc.getTransactionCount({ address: account.address });

const submit = (page, fields, button) => submitForm(page, "compute-log", fields, button);

/** Submits the form with `fields` changed from the training task's, and checks it is refused with `expected` before anything is stored or sent. */
async function refused(page, fields, expected) {
  const [transactions, blobs] = [await sent(), stored.length];
  const outcome = await submit(page, { "task-algorithm": "logistic-regression", "task-sql": env("SQL"), "task-params": env("PARAMS"),
    "task-max": "", ...fields }, "submit-task");
  check(outcome.error?.includes(expected) && /Nothing was (paid|charged)\.$/.test(outcome.error), `${JSON.stringify(fields)} was told: ${outcome.error}`);
  check(await sent() === transactions && stored.length === blobs, `${JSON.stringify(fields)} sent or stored something`);
  return outcome.error;
}

/** Submits the task the form holds and returns its id once the page has followed it to `state`. */
async function submitted(page, fields, state) {
  const outcome = await submit(page, fields, "submit-task");
  check(outcome.error === null, `submitting ${JSON.stringify(fields)} was told: ${outcome.error}`);
  const paid = outcome.lines.find((line) => line.startsWith("submitted task "));
  check(paid && HASH.test(paid), `the payment shows as: ${outcome.lines.join(" / ")}`);
  const taskId = /^submitted task (0x[0-9a-f]{64})/.exec(paid)[1];
  check(outcome.line.startsWith(`task ${taskId}: ${state}`), `the task ended as: ${outcome.line}`);
  return { taskId, hash: paid.match(HASH)[0], lines: outcome.lines };
}

try {
  const { page, errors } = await openPage(browser, { url: `${env("WEB_URL")}/#compute`, rpcUrl: env("RPC_URL"),
    chainId: Number(env("CHAIN_ID")), account, viewport: { width: 390, height: 844 }, timeout: 1000 * Number(env("TIMEOUT_SECONDS")),
    offLoopback, inspect: (url, body) => {
      if (new URL(url).pathname === "/blobs") stored.push(body.toString());
      return true;
    } });
  await page.click("#connect");
  await page.waitForSelector(`.compute-dao[data-dlp-id="${env("DLP_ID")}"] .allowed`);
  const allowed = await page.locator(`.compute-dao[data-dlp-id="${env("DLP_ID")}"] .allowed`).allTextContents();
  check(allowed.length === 1 && allowed[0] === `logistic-regression (builtin:logistic-regression/v1, ${env("ALLOWED_DIGEST")})`,
    `the allowed algorithms show as: ${allowed}`);
  check((await page.textContent("#tasks")) === "You have submitted no task yet.", `the tasks show as: ${await page.textContent("#tasks")}`);

  const refusals = {
    algorithm: await refused(page, { "task-algorithm": "linear-regression" },
      `DataDAO ${env("DLP_ID")} does not allow algorithm builtin:linear-regression/v1`),
    params: await refused(page, { "task-params": "{\"features\": [distance_km]}" }, "The params must be a JSON object"),
    column: await refused(page, { "task-sql": "SELECT owner, steps FROM daily_steps" }, "no permission for column daily_steps.owner"),
    price: await refused(page, { "task-max": "0.0001" }, `The data costs ${env("DATA_PRICE")} ETH, more than the most you set, 0.0001 ETH.`),
  };

  const priced = await submit(page, { "task-max": "" }, "price-task");
  check(priced.error === null && priced.line === `priced at ${env("TOTAL")} ETH in all`, `pricing showed: ${priced.line} / ${priced.error}`);
  const quote = await page.textContent("#task-quote");
  check(quote.startsWith(`The data costs ${env("DATA_PRICE")} ETH (permissions `) && quote.endsWith(`reads dlp${env("DLP_ID")}.daily_steps: distance_km, steps`),
    `the quote shows as: ${quote}`);

  const trained = await submitted(page, { "task-max": "" }, "verified");
  // The spec went to storage sealed (ECIES hex), never as the SQL or params in the clear.
  check(stored.length === 1 && /^0x[0-9a-f]+$/.test(stored[0]) && !stored[0].includes("daily_steps"), `stored: ${stored}`);
  const row = `.task[data-task-id="${trained.taskId}"]`;
  check((await page.getAttribute(row, "data-state")) === "verified", `the task shows as: ${await page.textContent(row)}`);
  const shown = await submit(page, {}, `show-result-${trained.taskId}`);
  check(shown.error === null && shown.line.startsWith(`decrypted the output of task ${trained.taskId} in this browser; it hashes to its recorded result hash 0x`),
    `showing the result showed: ${shown.line} / ${shown.error}`);
  const metrics = Object.fromEntries(await Promise.all((await page.locator("#task-result .metric").all())
    .map(async (metric) => [await metric.getAttribute("data-name"), await metric.getAttribute("data-value")])));
  check("accuracy" in metrics, `the metrics show as: ${JSON.stringify(metrics)}`);
  const model = await page.textContent('#task-result .output-file[data-name="model.json"]');
  const modelSha256 = /SHA-256 (0x[0-9a-f]{64})$/.exec(model)?.[1];
  check(modelSha256, `the model shows as: ${model}`);
  await page.screenshot({ path: env("SCREENSHOT"), fullPage: true });

  const lonely = await submitted(page, { "task-sql": env("LONELY_SQL") }, "failed: ");
  const failedRow = `.task[data-task-id="${lonely.taskId}"]`;
  const failure = await page.textContent(failedRow);
  check(failure.includes("failed: "), `the failed task shows as: ${failure}`);
  // Refunded, the task has no Refund button any more: the page has reread it once it shows refunded.
  const before = await page.locator("#compute-log li").count();
  await page.click(`#refund-${lonely.taskId}`);
  await page.waitForSelector(`${failedRow}[data-state="refunded"], #error:not([hidden])`);
  const refund = { lines: (await page.locator("#compute-log li").allTextContents()).slice(before),
    error: await page.locator("#error:not([hidden])").count() ? await page.textContent("#error") : null };
  check(refund.error === null && refund.lines.length === 2 && refund.lines[0].startsWith(`refunded task ${lonely.taskId} `)
    && HASH.test(refund.lines[0]) && refund.lines[1].startsWith(`paid out ${env("TOTAL")} ETH from the Settlement`)
    && HASH.test(refund.lines[1]), `the refund showed: ${refund.lines.join(" / ")} / ${refund.error}`);
  const refunded = await page.textContent(failedRow);
  check(refunded.includes(": refunded (it failed: "), `the refunded task shows as: ${refunded}`);

  // An optimistic task is proposed with its challenge window's end; once blocks pass it, the worker finalizes it.
  await page.selectOption("#task-mode", "2");
  const optimistic = await submitted(page, { "task-sql": env("SQL") }, "proposed");
  const proposedRow = `.task[data-task-id="${optimistic.taskId}"]`;
  const proposed = await page.textContent(proposedRow);
  const windowEnd = /challenge window is open until block (\d+) \(now (\d+)\)/.exec(proposed);
  check(windowEnd, `the proposed task shows as: ${proposed}`);
  await rpc.request({ method: "anvil_mine", params: [`0x${(Number(windowEnd[1]) - Number(windowEnd[2]) + 1).toString(16)}`] });
  while ((await page.getAttribute(proposedRow, "data-state")) !== "verified") {
    await page.waitForTimeout(200); // the worker finalizes on its own schedule; PeerScript bounds the whole run
    await page.click("#reread-tasks");
    await page.waitForSelector("#reread-tasks:not([disabled])");
  }

  check(errors.length === 0, `the page threw: ${errors.join("; ")}`);
  check(offLoopback.length === 0, `the page asked hosts other than 127.0.0.1: ${offLoopback.join(", ")}`);
  const resultKey = await page.evaluate((taskId) => localStorage.getItem(`datacoop:task-result-key:${taskId}`), trained.taskId);
  console.log(JSON.stringify({ taskId: trained.taskId, failedTaskId: lonely.taskId, failure,
    metrics, modelSha256, resultKey, refusals, optimisticTaskId: optimistic.taskId,
    windowEnd: Number(windowEnd[1]), hashes: [trained.hash, lonely.hash, refund.lines[0].match(HASH)[0], refund.lines[1].match(HASH)[0],
      optimistic.hash] }));
} finally {
  await browser.close();
}
