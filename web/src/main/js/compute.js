// The builder's compute page: what `coop task submit|show|result|refund` do, from the browser wallet.
// An algorithm the DataDAO allows runs over the rows an SQL selection reads, in its worker's enclave;
// the page builds the task's spec as the SDK's ComputeClient does, with a result key made here (bound
// into the task's sqlHash, since a browser wallet cannot decrypt), seals it to the worker's key, stores
// it, and the wallet pays the worker's fee and the data's price. It then follows the task on-chain,
// opens its output here with that key, checks it against the recorded result hash, and refunds a
// failed or expired task. Everything a submission can be refused for is told before anything is paid.
import { bytesToHex, formatEther, keccak256, stringToHex, zeroAddress } from "viem";
import { sha256Hex, unwrapEcies, walletResultKeyPair, wrapEcies } from "./crypto.js";
import { algorithmNotAllowed, balanceTooSmall, dataAboveMax, needsModel, notBuiltin, paramsNotJson } from "./messages.js";
import { priceSelection, resultKeySqlHash } from "./queries.js";
import { loopbackBytes, upload } from "./storage.js";
import { $, ether, item, list, note, onAction, prefill, step, text, wholeNumber } from "./ui.js";

/** A task may be proved until this long after the latest block, as `coop task submit --deadline-minutes` defaults. */
const DEADLINE_SECONDS = 30n * 60n;
const NO_MODEL = `0x${"0".repeat(64)}`;
/** Where the page keeps a task's result key: in this browser only, so the output opens after a reload. */
// Only the salt of a task's result key is kept (see walletResultKeyPair): the key itself needs the wallet.
const SALT_PREFIX = "datacoop:task-result-salt:";
const OPTIMISTIC = 2; // ComputeChain.Mode.OP
const MAX_SPEC_READERS = 16; // TaskSpec.MAX_READERS

/**
 * The built-ins every worker runs (compute's `Builtin`): each pinned by the SHA-256 of its descriptor,
 * `builtin:NAME/v1`; those that apply a model need one, which this page does not send.
 */
const BUILTINS = [["logistic-regression", false], ["linear-regression", false], ["predict", true], ["evaluate", true]]
  .map(([name, applies]) => {
    const descriptor = `builtin:${name}/v1`;
    return { name, descriptor, digest: sha256Hex(new TextEncoder().encode(descriptor)), applies };
  });

const log = (line, hash) => step($("compute-log"), line, hash);

/** An allowlisted digest in words: the built-in's name and descriptor, or a program's digest. */
function algorithmText(digest) {
  const builtin = BUILTINS.find((candidate) => candidate.digest === digest.toLowerCase());
  return builtin ? `${builtin.name} (${builtin.descriptor}, ${digest})` : `program ${digest}`;
}

/** Reads each DataDAO's allowed algorithms and the wallet's tasks; wires the forms. */
export async function showCompute(chain) {
  wire(chain);
  $("algorithms").replaceChildren(note("reading the chain ..."));
  const daos = await chain.dataDaos();
  const cards = await Promise.all(daos.map(async (dao) => {
    const section = document.createElement("article");
    section.className = "compute-dao";
    section.dataset.dlpId = dao.id.toString();
    const allowed = (await chain.allowedAlgorithms(dao)).map((digest) => item("allowed", algorithmText(digest), { digest }));
    section.append(list(`${dao.name} (#${dao.id}) allows`, allowed, "no algorithm yet"));
    return section;
  }));
  $("algorithms").replaceChildren(...(cards.length ? cards : [note("This deployment has no DataDAO yet.")]));
  $("algorithm-names").replaceChildren(...BUILTINS.map((builtin) => Object.assign(document.createElement("option"), { value: builtin.name })));
  if (daos.length) prefill("task-dao", daos[0].id);
  await showTasks(chain);
}

async function showTasks(chain) {
  const states = await Promise.all((await chain.myTasks()).map((taskId) => chain.taskState(taskId)));
  $("tasks").replaceChildren(...(states.length ? states.map((state) => taskItem(chain, state)) : [item("none", "You have submitted no task yet.")]));
}

/** Where task `state` (from Chain.taskState) stands, in words. */
function stateText({ task, record, state, expired, proposal, block }) {
  switch (state) {
    case "submitted":
      return expired ? "unproved past its deadline: refundable" : `submitted, waiting for worker ${task.worker}`;
    case "proposed":
      return block > proposal.windowEnd
        ? `proposed (optimistic): its challenge window closed at block ${proposal.windowEnd} (now ${block}); `
          + "verified once the worker finalizes it"
        : `proposed (optimistic): its challenge window is open until block ${proposal.windowEnd} (now ${block}); `
          + "verified once it passes unchallenged";
    case "verified":
      return `verified, result hash ${record.resultHash}`;
    case "failed":
      return `failed: ${record.failureReason}`;
    case "refunded":
      return `refunded${record.failureReason ? ` (it failed: ${record.failureReason})` : ""}`;
    default:
      return state;
  }
}

/** A task in words with what may be done with it now. */
function taskItem(chain, state) {
  const { taskId, task } = state;
  const element = item("task", `Task ${taskId}: ${stateText(state)} · ${algorithmText(task.algorithmDigest)} · `
    + `paid ${formatEther(task.workerFee + task.dataPrice)} ETH`, { taskId, state: state.state });
  const button = (label, action) => {
    const clicked = document.createElement("button");
    clicked.textContent = label;
    clicked.id = `${label.toLowerCase().replace(" ", "-")}-${taskId}`; // what a test clicks
    element.append(" ", clicked);
    onAction(clicked, "compute-log", () => action(chain, state), () => showTasks(chain));
  };
  if (state.state === "verified") button("Show result", showResult);
  if (state.refundable) button("Refund", refund);
  return element;
}

/** The algorithm typed: a built-in by name or descriptor, or a digest (which must then be a built-in's: the page sends no program). */
function algorithm() {
  const typed = text("task-algorithm", "The algorithm");
  const builtin = BUILTINS.find((candidate) => [candidate.name, candidate.descriptor, candidate.digest].includes(typed.toLowerCase()));
  if (!builtin) throw new Error(notBuiltin(typed, BUILTINS.map((candidate) => candidate.name)));
  if (builtin.applies) throw new Error(needsModel(builtin.name));
  return builtin;
}

/** The params typed, as hashed: a JSON object's text ("{}" when empty). */
function params() {
  const typed = $("task-params").value.trim() || "{}";
  let parsed;
  try {
    parsed = JSON.parse(typed);
  } catch (error) {
    throw new Error(paramsNotJson(error.message));
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error(paramsNotJson(`${typed} is not an object`));
  return typed;
}

/**
 * The task the form asks for, checked as `ComputeClient.submit` checks it, before anything is paid:
 * the algorithm and params, the columns (the worker's query service names one the wallet may not
 * read), the algorithm's allowance by every DataDAO the selection reads, and the price.
 */
async function checked(chain) {
  const dlpId = wholeNumber("task-dao", "The DataDAO id");
  const chosen = algorithm();
  const taskParams = params();
  const sql = text("task-sql", "The SQL");
  const service = await chain.queryService(dlpId);
  // data with terms needs a training license for an algorithm that trains, as the worker checks it
  const quote = await priceSelection(service, sql, dlpId, chain.account, chosen.applies ? "compute" : "training");
  if (quote.token !== zeroAddress) throw new Error(`The selection is priced in the ERC-20 ${quote.token}; this page pays tasks in ether.`);
  const permissionIds = quote.permissions.map((permission) => BigInt(permission.id)).sort((a, b) => (a < b ? -1 : 1));
  const refinerIds = [...new Set(quote.tables.map((table) => BigInt(table.refiner_id)))].sort((a, b) => (a < b ? -1 : 1));
  const dlpIds = [...new Set(await Promise.all(refinerIds.map((id) => chain.refinerDlpId(id))))];
  for (const id of dlpIds) {
    if (!(await chain.isAlgorithmAllowed(id, chosen.digest))) throw new Error(algorithmNotAllowed(id, chosen.descriptor, chosen.digest));
  }
  const dataPrice = await chain.taskDataPrice(permissionIds);
  const fee = ether("task-fee", "The worker's fee");
  const reads = quote.tables.map((table) => `${table.table}: ${table.columns.join(", ")}`).join("; ");
  $("task-quote").textContent = `The data costs ${formatEther(dataPrice)} ETH (permissions ${permissionIds.join(", ")}), `
    + `the worker's fee ${formatEther(fee)} ETH; reads ${reads}`;
  return { dlpId, chosen, params: taskParams, sql, service, permissionIds, refinerIds, dataPrice, fee };
}

async function submit(chain) {
  const task = await checked(chain);
  const max = $("task-max").value.trim() ? ether("task-max", "The most the data may cost") : task.dataPrice;
  if (task.dataPrice > max) throw new Error(dataAboveMax(formatEther(task.dataPrice), formatEther(max)));
  const value = task.fee + task.dataPrice;
  const balance = await chain.balance();
  if (balance <= value) throw new Error(balanceTooSmall(formatEther(balance), formatEther(value)));
  const worker = task.service.address;
  const salt = bytesToHex(crypto.getRandomValues(new Uint8Array(16)));
  log("the wallet signs once more: the task's result key is derived from that signature, so only this wallet opens the output");
  const key = await walletResultKeyPair(chain.provider, chain.account, salt);
  // TaskSpec's JSON, field for field: the worker opens it, and checks its SQL, params and result key against the task.
  const spec = JSON.stringify({ version: 1, dlpId: Number(task.dlpId), sql: task.sql, algorithm: task.chosen.descriptor,
    params: task.params, requesterPublicKey: key.publicKey });
  const mode = Number($("task-mode").value);
  const sealed = await sealSpec(chain, spec, worker, task.dlpId, mode);
  const specUrl = await upload(chain.deployment, new TextEncoder().encode(sealed), "the task's spec");
  log(`stored the sealed spec at ${specUrl}`);
  const request = { sqlHash: resultKeySqlHash(task.dlpId, key.publicKey, task.sql), refinerIds: task.refinerIds,
    permissionIds: task.permissionIds, algorithmDigest: task.chosen.digest, modelId: NO_MODEL,
    paramsHash: keccak256(stringToHex(task.params)), mode, worker, token: zeroAddress, workerFee: task.fee, maxPrice: max,
    deadline: (await chain.latestBlockSeconds()) + DEADLINE_SECONDS, specUrl };
  const { taskId, receipt } = await chain.submitTask(request, value);
  localStorage.setItem(SALT_PREFIX + taskId, salt);
  log(`submitted task ${taskId}, paying ${formatEther(value)} ETH (the worker's fee ${formatEther(task.fee)} and the data `
    + `${formatEther(task.dataPrice)}) into the Settlement's escrow`, receipt.transactionHash);
  const waiting = log(`waiting for the worker to ${mode === OPTIMISTIC ? "propose" : "prove"} task ${taskId} ...`);
  let state = await chain.taskState(taskId);
  while (state.state === "submitted" && !state.expired) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    state = await chain.taskState(taskId);
  }
  waiting.textContent = `task ${taskId}: ${state.state}${state.state === "failed" ? `: ${state.record.failureReason}` : ""}`;
}

/**
 * The spec sealed as TaskSpec.sealTo seals it: to the worker alone, or for an OP task also to the DataDAO's
 * refinement services, who may re-execute it to challenge the result ({"sealed": {address: ECIES text}}).
 */
async function sealSpec(chain, spec, worker, dlpId, mode) {
  const readers = [{ address: worker.toLowerCase(), key: await chain.validatorKey(worker) }];
  if (mode === OPTIMISTIC) {
    for (const reader of await chain.specReaders(dlpId, MAX_SPEC_READERS)) {
      if (readers.length < MAX_SPEC_READERS && !readers.some((r) => r.address === reader.address)) readers.push(reader);
    }
  }
  log(`sealing the task's spec to ${readers.length === 1 ? `worker ${worker}` : `worker ${worker} and ${readers.length - 1} `
    + "validator(s) who may challenge its result"}; its output will be encrypted to a key derived from the wallet`);
  if (readers.length === 1) return wrapEcies(spec, readers[0].key);
  const sealed = {};
  for (const reader of readers) sealed[reader.address] = await wrapEcies(spec, reader.key);
  return JSON.stringify({ sealed });
}

/** The files of a ResultBundle (compute's format: a domain line, then per file a 4-byte name length, the name, an 8-byte size and the bytes). */
function unbundle(bundle) {
  const domain = new TextEncoder().encode("datacoop-output/v1\n");
  if (bundle.length < domain.length || !domain.every((byte, index) => bundle[index] === byte)) {
    throw new Error("the output is not a DataCoop result bundle");
  }
  const view = new DataView(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  const files = new Map();
  for (let at = domain.length; at < bundle.length;) {
    const nameLength = view.getUint32(at);
    const name = new TextDecoder().decode(bundle.subarray(at + 4, at + 4 + nameLength));
    const size = Number(view.getBigUint64(at + 4 + nameLength));
    const start = at + 12 + nameLength;
    if (start + size > bundle.length) throw new Error(`the output's ${name} is cut off`);
    files.set(name, bundle.subarray(start, start + size));
    at = start + size;
  }
  return files;
}

/** Opens a verified task's output with this browser's result key, checks it against the recorded hash and shows it. */
async function showResult(chain, { taskId, record }) {
  const salt = localStorage.getItem(SALT_PREFIX + taskId);
  if (!salt) {
    throw new Error(`This browser holds no result key salt for task ${taskId}: its output opens only where it was submitted.`);
  }
  const { privateKey } = await walletResultKeyPair(chain.provider, chain.account, salt);
  const sealed = new TextDecoder().decode(await loopbackBytes(record.outputUrl)).trim();
  const bundle = await unwrapEcies(sealed, privateKey);
  const hash = sha256Hex(bundle);
  if (hash !== record.resultHash) throw new Error(`The output of task ${taskId} hashes to ${hash}, not to its recorded result hash ${record.resultHash}.`);
  const files = unbundle(bundle);
  const decoder = new TextDecoder();
  const lines = [...files].map(([name, bytes]) => item("output-file", `${name}: ${bytes.length} bytes, SHA-256 ${sha256Hex(bytes)}`, { name }));
  const metrics = files.has("metrics.json") ? JSON.parse(decoder.decode(files.get("metrics.json"))) : {};
  const shown = Object.entries(metrics).map(([name, value]) => item("metric", `${name}: ${value}`, { name, value: String(value) }));
  $("task-result").replaceChildren(list(`Output of task ${taskId}`, lines, "no files"), list("Metrics", shown, "none"));
  log(`decrypted the output of task ${taskId} in this browser; it hashes to its recorded result hash ${hash}`);
}

/** Refunds a failed or expired task into the wallet's Settlement earnings, and pays them out. */
async function refund(chain, { taskId }) {
  log(`refunded task ${taskId} into your earnings in the Settlement`, await chain.refundTask(taskId));
  const credited = await chain.read(chain.settlement, "earnings", [zeroAddress, chain.account]);
  log(`paid out ${formatEther(credited)} ETH from the Settlement to your wallet`, await chain.claim({ ledger: chain.settlement, token: zeroAddress }));
}

function wire(chain) {
  onAction("reread-tasks", "compute-log", async () => {}, () => showTasks(chain));
  onAction("price-task", "compute-log", async () => {
    $("task-quote").textContent = "";
    const task = await checked(chain);
    log(`priced at ${formatEther(task.fee + task.dataPrice)} ETH in all`);
    prefill("task-max", formatEther(task.dataPrice));
  }, () => showTasks(chain));
  onAction("submit-task", "compute-log", async () => {
    $("task-quote").textContent = "";
    await submit(chain);
  }, () => showTasks(chain));
}
