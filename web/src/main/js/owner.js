// The DataDAO owner's page: for the connected wallet, the DataDAOs it owns with their files, budget,
// refiners and permissions, allowed algorithms and revenue; forms to create a DataDAO, to grant,
// approve and revoke a column permission and to allow or disallow an algorithm, each transaction in
// the step log.
import { formatUnits, isAddress, parseEther } from "viem";
import { sha256Hex } from "./crypto.js";
import { upload } from "./storage.js";
import { $, ether, item, list, note, onAction, permissionText, prefill, step, text, wholeNumber } from "./ui.js";

const log = (text, hash) => step($("owner-log"), text, hash);

/** Reads the wallet's DataDAOs from the chain and shows them; wires the forms. */
export async function showOwner(chain) {
  wire(chain);
  $("owned").replaceChildren(note("reading the chain ..."));
  const owned = await chain.ownedDataDaos();
  const cards = await Promise.all(owned.map((dao) => card(chain, dao)));
  $("owned").replaceChildren(...(cards.length ? cards : [note(`${chain.account} owns no DataDAO.`)]));
  const revenue = await chain.revenue();
  $("revenue").replaceChildren(...revenue.map((row) => item("revenue", `from ${row.source}: `
    + `${formatUnits(row.total, row.decimals)} ${row.symbol} earned, ${formatUnits(row.unclaimed, row.decimals)} ${row.symbol} unclaimed`)));
  if (owned.length) {
    prefill("algorithm-dao", owned[0].id);
    const refiners = await chain.refiners(owned[0]);
    if (refiners.length) prefill("grant-refiner", refiners[0].id);
  }
}

async function card(chain, dao) {
  const [files, refiners, algorithms] = await Promise.all([chain.daoFiles(dao), chain.refiners(dao), chain.allowedAlgorithms(dao)]);
  const amount = (value) => `${formatUnits(value, dao.decimals)} ${dao.symbol}`;
  const section = document.createElement("article");
  section.className = "owned-dao";
  section.dataset.dlpId = dao.id.toString();
  const heading = document.createElement("h3");
  heading.textContent = `${dao.name} (#${dao.id})`;
  const budget = document.createElement("p");
  budget.textContent = `${amount(dao.rewardPerFile)} per file, ${amount(dao.budget)} of reward budget left`;
  const fileItems = files.map((file) => item("dao-file", [`File ${file.fileId}: ${file.state}`,
    file.failureReason && `reason: ${file.failureReason}`,
    file.score !== undefined && `score ${formatUnits(file.score, 18)}`].filter(Boolean).join(" · "), { fileId: file.fileId.toString() }));
  const refinerItems = await Promise.all(refiners.map(async (refiner) => {
    const tables = Array.isArray(refiner.tables) ? `tables ${refiner.tables.map((table) => table.name).join(", ")}` : refiner.tables;
    const element = item("refiner", `Refiner ${refiner.id}: ${refiner.name} (schema ${refiner.schema.name}, ${refiner.schema.dialect}); ${tables}`,
      { refinerId: refiner.id.toString() });
    const permissions = (await chain.permissions(refiner.id)).map((permission) => item("permission", permissionText(permission),
      { permissionId: permission.id.toString() }));
    if (permissions.length) {
      const ul = document.createElement("ul");
      ul.replaceChildren(...permissions);
      element.append(ul);
    }
    return element;
  }));
  const algorithmItems = algorithms.map((digest) => item("algorithm", digest, { digest }));
  section.append(heading, budget, list("Files", fileItems, "no files yet"), list("Refiners and their permissions", refinerItems, "no refiners"),
    list("Compute algorithms allowed", algorithmItems, "none allowed"));
  return section;
}

// ---- the forms: bad input is told in words before anything is sent

function digest() {
  const value = $("algorithm-digest").value.trim();
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new Error(`The algorithm digest must be 0x followed by 64 hex digits; got "${value}".`);
  }
  return value.toLowerCase();
}

function grantee() {
  const value = $("grant-grantee").value.trim();
  if (value && !isAddress(value)) throw new Error(`The grantee must be an address (0x and 40 hex digits) or empty for anyone; got "${value}".`);
  return value || null;
}

function tokens(id, what) {
  const value = $(id).value.trim();
  if (!/^[0-9]+(\.[0-9]{1,18})?$/.test(value) || parseEther(value) === 0n) {
    throw new Error(`${what} must be a number of tokens above 0 such as 100; got "${value}".`);
  }
  return parseEther(value); // DataDAO tokens have 18 decimals, as ether has
}

/**
 * The program's bytes as typed: a JSON object naming its kind in "program" (a declarative one is
 * checked in full by every validator, which refuses the files of a DataDAO whose program is broken).
 */
function program() {
  const value = $("dao-program").value;
  let definition;
  try {
    definition = JSON.parse(value);
  } catch (error) {
    throw new Error(`The program is not valid JSON: ${error.message}`);
  }
  if (typeof definition?.program !== "string") {
    throw new Error('The program must be a JSON object whose "program" names its kind, e.g. "builtin:declarative/v1".');
  }
  return new TextEncoder().encode(value);
}

/** Runs `action` from `button`, then rereads the page. */
function act(chain, button, action) {
  onAction(button, "owner-log", action, () => showOwner(chain));
}

function wire(chain) {
  act(chain, "create", async () => {
    const name = text("dao-name", "The DataDAO's name");
    const symbol = text("dao-symbol", "The token symbol");
    const rewardPerFile = tokens("dao-reward", "The reward per file");
    const rewardBudget = tokens("dao-budget", "The reward budget");
    if (rewardBudget < rewardPerFile) throw new Error("The reward budget must hold at least one reward per file.");
    const bytes = program();
    log(`uploading the program (${bytes.length} bytes) to the storage gateway`);
    const programUrl = await upload(chain.deployment, bytes, "the program");
    const created = await chain.createDataDao({ name, tokenName: `${name} Token`, tokenSymbol: symbol, rewardBudget,
      rewardPerFile, programDigest: sha256Hex(bytes), programUrl });
    log(`created DataDAO ${created.dlpId} (pool ${created.pool}), its program at ${programUrl}`, created.hash);
  });
  act(chain, "grant", async () => {
    const refinerId = wholeNumber("grant-refiner", "The refiner id");
    const table = $("grant-table").value.trim();
    const column = $("grant-column").value.trim();
    const granted = await chain.grant(refinerId, grantee(), table, column, ether("grant-price", "The price"));
    log(`granted permission ${granted.permissionId} on refiner ${refinerId}${granted.approved ? "" : " (pending approval)"}`, granted.hash);
  });
  act(chain, "approve", async () => {
    const id = wholeNumber("permission-id", "The permission id");
    log(`approved permission ${id}`, await chain.approvePermission(id));
  });
  act(chain, "revoke", async () => {
    const id = wholeNumber("permission-id", "The permission id");
    log(`revoked permission ${id}`, await chain.revokePermission(id));
  });
  act(chain, "allow", async () => {
    const dlpId = wholeNumber("algorithm-dao", "The DataDAO id");
    const algorithm = digest();
    log(`allowed algorithm ${algorithm} on DataDAO ${dlpId}`, await chain.allowAlgorithm(dlpId, algorithm));
  });
  act(chain, "disallow", async () => {
    const dlpId = wholeNumber("algorithm-dao", "The DataDAO id");
    const algorithm = digest();
    log(`disallowed algorithm ${algorithm} on DataDAO ${dlpId}`, await chain.disallowAlgorithm(dlpId, algorithm));
  });
}
