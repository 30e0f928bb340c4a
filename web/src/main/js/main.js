// The app: connect the wallet, then the page the hash names: the contributor's (DataDAOs,
// contribute a file with a live step log, my files with their rewards, Data Anchoring Tokens and
// earnings from rows read, the tokens the wallet holds, claim both, sell a token, revoke a key share), the DataDAO owner's (owner.js) or the builder's: queries (builder.js) and compute tasks (compute.js).
import { formatUnits, zeroAddress } from "viem";
import { showBuilder } from "./builder.js";
import { showCompute } from "./compute.js";
import { Chain } from "./chain.js";
import { DEFAULT_SEED, encrypt, password, sha256Hex, wrapEcies } from "./crypto.js";
import { inWords, NOTHING_TO_CLAIM } from "./messages.js";
import { showOwner } from "./owner.js";
import { upload } from "./storage.js";
import { $, address, bigWholeNumber, hideError, item, onAction, showError, step as logStep, wholeNumber } from "./ui.js";
import { connect, discover } from "./wallet.js";

let chain;
let daos = [];

const step = (text, hash) => logStep($("log"), text, hash);

function amount(value, dao) {
  return `${formatUnits(value, dao.decimals)} ${dao.symbol}`;
}

async function start() {
  try {
    const response = await fetch("/deployment.json");
    if (!response.ok) throw new Error(`the server answered ${response.status} for /deployment.json`);
    const deployment = await response.json();
    $("network").textContent = `chain ${deployment.chainId}`;
    const { provider, name } = await discover();
    $("connect").hidden = false;
    $("connect").onclick = async () => {
      hideError();
      try {
        const account = await connect(provider, deployment);
        chain = new Chain(deployment, provider, account);
        $("account").textContent = `${name}: ${account}`;
        $("connect").hidden = true;
        $("app").hidden = false;
        await route();
      } catch (error) {
        showError(error);
      }
    };
  } catch (error) {
    showError(error);
  }
}

async function refresh() {
  daos = await chain.dataDaos();
  const list = $("daos");
  list.replaceChildren(...daos.map((dao) => {
    const row = document.createElement("label");
    row.className = "dao";
    row.innerHTML = `<input type="radio" name="dao"> <b></b><span></span>`;
    row.querySelector("input").value = dao.id.toString();
    row.querySelector("input").checked = dao === daos[0];
    row.querySelector("b").textContent = `${dao.name} (#${dao.id})`;
    row.querySelector("span").textContent =
      `${amount(dao.rewardPerFile, dao)} per file, ${amount(dao.budget, dao)} left`;
    return row;
  }));
  await showFiles();
}

const PAGES = { "#owner": ["owner", () => showOwner(chain)], "#builder": ["builder", () => showBuilder(chain)],
  "#compute": ["compute", () => showCompute(chain)] };

/** Shows the page the location's hash names (#owner, #builder, #compute, else the contributor's) and loads it. */
async function route() {
  const [page, show] = PAGES[location.hash] ?? ["contributor", refresh];
  document.body.dataset.page = page; // style.css shows that page's parts only
  const current = Object.entries(PAGES).find(([, [name]]) => name === page)?.[0] ?? "#contribute";
  for (const tab of document.querySelectorAll("nav a")) tab.setAttribute("aria-current", String(tab.hash === current));
  if (!chain) return;
  hideError();
  try {
    await show();
  } catch (error) {
    showError(error);
  }
}

async function contribute() {
  hideError();
  $("log").replaceChildren();
  const picked = $("file").files[0];
  if (!picked) return showError("Pick a file to contribute first.");
  const checked = document.querySelector("input[name=dao]:checked");
  if (!checked) return showError("Pick a DataDAO to contribute to first.");
  const dao = daos.find((candidate) => candidate.id.toString() === checked.value);
  $("contribute").disabled = true;
  try {
    const fee = await chain.teeFee();
    step("sign the seed message in your wallet to derive the file's password");
    const pass = await password(chain.provider, chain.account, DEFAULT_SEED);
    step(`encrypting ${picked.name} (${picked.size} bytes) in this browser`);
    const encrypted = await encrypt(new Uint8Array(await picked.arrayBuffer()), picked.name, pass);
    step(`uploading ${encrypted.length} encrypted bytes to the storage gateway`);
    const url = await upload(chain.deployment, encrypted, "the file");
    const registered = await chain.addFile(url, sha256Hex(encrypted));
    step(`registered as file ${registered.fileId}`, registered.hash);
    const requested = await chain.requestProof(registered.fileId, dao.id, fee);
    step(`paid ${formatUnits(fee, 18)} ETH for validation job ${requested.jobId}, assigned to ${requested.job.teeAddress}`, requested.hash);
    const wrapped = await wrapEcies(pass, await chain.validatorKey(requested.job.teeAddress));
    const shared = await chain.shareKey(registered.fileId, requested.job.teeAddress, wrapped);
    step("shared the password, wrapped to the validator's key, on-chain", shared);
    const waiting = step(`waiting for the validator to prove job ${requested.jobId} ...`);
    const file = await waitForJob(registered.fileId);
    waiting.textContent = `job ${requested.jobId}: ${file.state}${file.failureReason ? `: ${file.failureReason}` : ""}`;
    await showFiles();
  } catch (error) {
    showError(error);
    step("stopped: " + inWords(error));
  } finally {
    $("contribute").disabled = false;
  }
}

async function waitForJob(fileId) {
  for (;;) {
    const file = (await chain.myFiles(daos)).find((candidate) => candidate.fileId === fileId);
    if (file.state !== "waiting for the validator") return file;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * What the wallet earns from rows read, as `coop earnings` finds it: its files (registered by it) and
 * the tokens it holds, and every leaf of their reads; `paid` are the unclaimed leaves the ledger pays
 * the wallet, those of the files whose DAT it holds and of its files that have none.
 */
async function earnings() {
  const [files, tokens] = await Promise.all([chain.myFiles(daos), chain.heldTokens()]);
  const { leaves, problems } = await chain.rowsRead([...new Set([...files, ...tokens].map((held) => held.fileId))]);
  return { files, tokens, leaves, problems, paid: leaves.filter((leaf) => !leaf.claimed && leaf.payee === chain.account) };
}

async function showFiles() {
  const { files, tokens: held, leaves, problems, paid } = await earnings();
  const [holders, credits, dats] = await Promise.all([Promise.all(files.map((file) => chain.keyHolders(file.fileId))),
    chain.credited(), Promise.all(files.map((file) => (file.reward > 0n ? chain.datOfFile(file.dao.id, file.fileId) : null)))]);
  const tokens = new Map(await Promise.all([...new Set(leaves.map((leaf) => leaf.token))]
    .map(async (token) => [token, await chain.tokenInfo(token)])));
  const shares = (chosen) => total(chosen.map((leaf) => ({ amount: leaf.share, ...tokens.get(leaf.token) })));
  /** Rows read in `read` (leaves of one file) and the wallet's pending share of them. */
  const reads = (read) => {
    const rows = read.reduce((sum, leaf) => sum + leaf.rows, 0n);
    const queries = new Set(read.map((leaf) => `${leaf.source} ${leaf.queryId}`)).size;
    return [`${rows} rows read in ${queries} paid ${queries === 1 ? "query or task" : "queries or tasks"}`,
      `${shares(read.filter((leaf) => paid.includes(leaf)))} pending`];
  };
  $("files").replaceChildren(...files.map((file, index) => {
    const card = document.createElement("li");
    card.className = "file";
    card.dataset.fileId = file.fileId.toString();
    const lines = [`File ${file.fileId}${file.dao ? ` for ${file.dao.name}` : ""}: ${file.state}`];
    if (file.failureReason) lines.push(`reason: ${file.failureReason}`);
    if (file.score !== undefined) lines.push(`score ${formatUnits(file.score, 18)}`);
    if (file.reward > 0n) lines.push(`reward ${amount(file.reward, file.dao)} paid`);
    const dat = dats[index];
    if (dat) {
      lines.push(datText(dat));
      if (dat.holder !== chain.account) lines.push(`sold: earnings go to ${dat.holder}`);
    }
    const read = leaves.filter((leaf) => leaf.fileId === file.fileId);
    if (read.length) {
      const others = read.filter((leaf) => !leaf.claimed && leaf.payee !== chain.account);
      lines.push(...reads(read), ...(others.length ? [`${shares(others)} pending for its token's holder`] : []),
        `${shares(read.filter((leaf) => leaf.claimed))} claimed`);
    }
    lines.push(holders[index].length ? `key shared with ${holders[index].join(", ")}` : "key shared with nobody");
    card.textContent = lines.join(" · ");
    if (file.score !== undefined && file.reward === 0n && file.due > 0n) {
      const claim = document.createElement("button");
      claim.textContent = `Claim ${amount(file.due, file.dao)}`;
      claim.onclick = async () => {
        claim.disabled = true;
        try {
          step(`reward for file ${file.fileId} claimed`, await chain.claimReward(file));
          await refresh();
        } catch (error) {
          showError(error);
          claim.disabled = false;
        }
      };
      card.append(" ", claim);
    }
    return card;
  }));
  const contributed = new Set(files.map((file) => file.fileId));
  $("tokens").replaceChildren(...(held.length ? held.map((dat) => {
    const dao = daos.find((candidate) => candidate.id === dat.classId);
    const read = leaves.filter((leaf) => leaf.fileId === dat.fileId && leaf.dlpId === dat.classId);
    const lines = [`File ${dat.fileId} in ${dao ? dao.name : "DataDAO"} #${dat.classId}${contributed.has(dat.fileId) ? "" : " (bought)"}`,
      datText(dat), ...(read.length ? reads(read) : ["not read yet"])];
    const row = item("token", lines.join(" · "), { tokenId: dat.tokenId.toString() });
    const transfer = document.createElement("button");
    transfer.textContent = "Transfer";
    transfer.onclick = () => {
      $("transfer-token").value = dat.tokenId.toString();
      $("transfer-to").focus();
    };
    row.append(" ", transfer);
    return row;
  }) : [item("none", "Your wallet holds no Data Anchoring Token.")]));
  const summary = [`Earnings from rows read: ${shares(paid)} pending in your files' leaves (those whose token you hold, and yours `
    + `without one), ${total(credits)} credited to your wallet in the ledgers, to pay out.`, ...problems.map((problem) => `Not counted: ${problem}`)];
  $("earnings").replaceChildren(...summary.map((line) => Object.assign(document.createElement("li"), { textContent: line })));
}

/** A Data Anchoring Token in words: its id, revenue weight, and its quota and expiry when its DataDAO set them. */
function datText(dat) {
  const parts = [`DAT ${dat.tokenId}`, `shareRatio ${dat.shareRatio} bps`];
  if (dat.value > 0n) parts.push(`quota ${dat.value}`);
  if (dat.expireAt > 0n) parts.push(`expires ${new Date(Number(dat.expireAt) * 1000).toISOString()}`);
  return parts.join(", ");
}

/** `amounts` ({ amount, symbol, decimals }) summed per token, e.g. "0.3 ETH + 2 STEP"; "nothing" when empty. */
function total(amounts) {
  const sums = new Map();
  for (const { amount: value, symbol, decimals } of amounts) {
    sums.set(symbol, { decimals, value: (sums.get(symbol)?.value ?? 0n) + value });
  }
  const parts = [...sums].map(([symbol, { decimals, value }]) => `${formatUnits(value, decimals)} ${symbol}`);
  return parts.length ? parts.join(" + ") : "nothing";
}

/** Claims the wallet's unclaimed leaves, then pulls what the ledgers credit it, each transaction in the step log. */
async function claimEarnings() {
  const { paid } = await earnings();
  const credited = await chain.credited();
  if (paid.length === 0 && credited.length === 0) throw new Error(NOTHING_TO_CLAIM);
  await chain.claimReads(paid, (claim) => step(`claimed ${claim.leaves} of your files' leaves in ${claim.source === "queries"
    ? "query" : "compute task"} ${claim.queryId}`, claim.hash));
  for (const credit of await chain.credited()) {
    step(`paid out ${formatUnits(credit.amount, credit.decimals)} ${credit.symbol} from the ${credit.source} ledger`, await chain.claim(credit));
  }
}

/** Takes a file's key share back from an account, as `coop file revoke` does. */
async function revokeKey() {
  const fileId = wholeNumber("revoke-file", "The file id");
  const account = address("revoke-account", "The account");
  step(`revoked file ${fileId}'s key share from ${account}`, await chain.revokeKey(fileId, account));
}

/** Sells a token the wallet holds, as `coop dat transfer` does: from then on the new holder is paid its file's earnings. */
async function transferToken() {
  const tokenId = bigWholeNumber("transfer-token", "The token id");
  const to = address("transfer-to", "The new holder");
  if (to === zeroAddress) throw new Error(`The new holder must not be the zero address: nobody could claim the file's earnings.`);
  step(`transferred token ${tokenId} to ${to}: its file's earnings go there from now on`, await chain.transferToken(tokenId, to));
}

$("contribute").onclick = contribute;
onAction("claim-earnings", "log", claimEarnings, showFiles);
onAction("revoke-key", "log", revokeKey, showFiles);
onAction("transfer", "log", transferToken, showFiles);
window.addEventListener("hashchange", route);
route();
start();
