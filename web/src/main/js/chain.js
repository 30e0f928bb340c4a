// Every chain call the page makes: reads over the deployment's rpc url, writes through the user's wallet.
import { sha256 } from "@noble/hashes/sha2";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { bytesToHex, createPublicClient, createWalletClient, custom, defineChain, erc20Abi, http, parseEventLogs, zeroAddress } from "viem";
import { abi as registryAbi } from "../../../../contracts/out/DataRegistry.sol/DataRegistry.json";
import { abi as teePoolAbi } from "../../../../contracts/out/TeePool.sol/TeePool.json";
import { abi as dlpRegistryAbi } from "../../../../contracts/out/DataLiquidityPoolRegistry.sol/DataLiquidityPoolRegistry.json";
import { abi as dlpAbi } from "../../../../contracts/out/DataLiquidityPool.sol/DataLiquidityPool.json";
import { abi as refinerRegistryAbi } from "../../../../contracts/out/DataRefinerRegistry.sol/DataRefinerRegistry.json";
import { abi as queryEngineAbi } from "../../../../contracts/out/QueryEngine.sol/QueryEngine.json";
import { abi as taskCoordinatorAbi } from "../../../../contracts/out/TaskCoordinator.sol/TaskCoordinator.json";
import { abi as settlementAbi } from "../../../../contracts/out/Settlement.sol/Settlement.json";
import { abi as datAbi } from "../../../../contracts/out/DataAnchoringToken.sol/DataAnchoringToken.json";
import { abi as executionRecordAbi } from "../../../../contracts/out/ExecutionRecord.sol/ExecutionRecord.json";
import { abi as disputeGameAbi } from "../../../../contracts/out/DisputeGame.sol/DisputeGame.json";
import { loopbackBytes } from "./storage.js";

export const JOB_STATES = ["none", "waiting for the validator", "validated", "failed", "cancelled"];

/** ExecutionRecord's Status, by its number. */
export const TASK_STATES = ["none", "submitted", "verified", "refunded", "failed", "proposed"];

/** Leaves per claimReads transaction, as the CLI's ReadsClaims sends them: one claim stays far below a block. */
const LEAVES_PER_CLAIM = 200;

/** `abi` with only the overload of `name` whose inputs are `types` (the contracts also speak Vana's and LazAI's). */
function overload(abi, name, types) {
  return abi.filter((item) => item.name !== name || item.inputs.map((input) => input.type).join(",") === types);
}

export class Chain {
  constructor(deployment, provider, account) {
    this.deployment = deployment;
    this.account = account;
    this.provider = provider;
    const chain = defineChain({ id: deployment.chainId, name: `DataCoop ${deployment.chainId}`,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [deployment.rpcUrl] } } });
    this.reads = createPublicClient({ chain, transport: http(deployment.rpcUrl) });
    this.wallet = createWalletClient({ account, chain, transport: custom(provider) });
    const contracts = deployment.contracts;
    this.registry = { address: contracts.DataRegistry,
      abi: overload(overload(registryAbi, "addFile", "string,bytes32"), "addFilePermission", "uint256,address,bytes") };
    this.teePool = { address: contracts.TeePool, abi: overload(teePoolAbi, "requestContributionProof", "uint256,uint256") };
    this.dlpRegistry = { address: contracts.DataLiquidityPoolRegistry, abi: dlpRegistryAbi };
    this.refinerRegistry = { address: contracts.DataRefinerRegistry, abi: refinerRegistryAbi };
    this.queryEngine = { address: contracts.QueryEngine, abi: queryEngineAbi };
    this.taskCoordinator = { address: contracts.TaskCoordinator, abi: taskCoordinatorAbi };
    this.settlement = { address: contracts.Settlement, abi: settlementAbi };
    this.dat = { address: contracts.DataAnchoringToken, abi: datAbi };
    this.executionRecord = { address: contracts.ExecutionRecord, abi: executionRecordAbi };
    this.disputeGame = { address: contracts.DisputeGame, abi: disputeGameAbi };
    // Both pay for rows read through the same ReadsLedger: queries through the one, compute tasks through the other.
    this.ledgers = [["queries", this.queryEngine], ["compute tasks", this.settlement]];
  }

  read(contract, functionName, args = []) {
    return this.reads.readContract({ ...contract, functionName, args });
  }

  /** Sends through the wallet and waits for the receipt; a revert is thrown with its reason. */
  async send(contract, functionName, args, value) {
    const { request } = await this.reads.simulateContract({ ...contract, functionName, args, value, account: this.account });
    const hash = await this.wallet.writeContract(request);
    const receipt = await this.reads.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted in transaction ${hash}`);
    return receipt;
  }

  pool(address) {
    return { address, abi: overload(dlpAbi, "requestReward", "uint256,uint256") };
  }

  /** Every DataDAO: id, name, reward per file and budget left, in its token. */
  async dataDaos() {
    const count = await this.read(this.dlpRegistry, "dlpsCount");
    const daos = [];
    for (let id = 1n; id <= count; id++) {
      const pool = this.pool(await this.read(this.dlpRegistry, "dlps", [id]));
      const token = { address: await this.read(pool, "token"), abi: erc20Abi };
      const [name, rewardPerFile, symbol, decimals, budget] = await Promise.all([
        this.read(pool, "name"), this.read(pool, "rewardPerFile"), this.read(token, "symbol"),
        this.read(token, "decimals"), this.read(token, "balanceOf", [pool.address])]);
      daos.push({ id, pool, name, rewardPerFile, symbol, decimals, budget });
    }
    return daos;
  }

  teeFee() {
    return this.read(this.teePool, "teeFee");
  }

  async addFile(url, checksum) {
    const receipt = await this.send(this.registry, "addFile", [url, checksum]);
    const fileId = await this.read(this.registry, "fileIdByUrl", [this.account, url]);
    return { fileId, hash: receipt.transactionHash };
  }

  async requestProof(fileId, dlpId, fee) {
    const receipt = await this.send(this.teePool, "requestContributionProof", [fileId, dlpId], fee);
    const jobIds = await this.read(this.teePool, "fileJobIds", [fileId]);
    const jobId = jobIds[jobIds.length - 1];
    return { jobId, job: await this.read(this.teePool, "jobRecords", [jobId]), hash: receipt.transactionHash };
  }

  async validatorKey(validator) {
    const tee = await this.read(this.teePool, "teeRecords", [validator]);
    if (!tee.secp256k1PublicKey || tee.secp256k1PublicKey === "0x") {
      throw new Error(`validator ${validator} publishes no secp256k1 key, so the page cannot share the password with it`);
    }
    return tee.secp256k1PublicKey;
  }

  async shareKey(fileId, validator, wrappedHex) {
    return (await this.send(this.registry, "addFilePermission", [fileId, validator, wrappedHex])).transactionHash;
  }

  /** The wallet's files, oldest first, each with its latest job, proof and reward. */
  async myFiles(daos) {
    const added = await this.reads.getContractEvents({ ...this.registry, eventName: "FileAdded",
      args: { ownerAddress: this.account }, fromBlock: BigInt(this.deployment.deploymentBlock) });
    return Promise.all(added.map(async (event) => {
      const fileId = event.args.fileId;
      const jobIds = await this.read(this.teePool, "fileJobIds", [fileId]);
      if (jobIds.length === 0) return { fileId, url: event.args.url, state: "not sent for validation" };
      const jobId = jobIds[jobIds.length - 1];
      const job = await this.read(this.teePool, "jobRecords", [jobId]);
      const dao = daos.find((candidate) => candidate.id === job.dlpId);
      const file = { fileId, url: event.args.url, jobId, dao, state: JOB_STATES[job.status], failureReason: job.failureReason };
      if (job.status !== 2) return file;
      Object.assign(file, await this.proofOf(fileId, jobId));
      file.reward = await this.read(dao.pool, "fileRewards", [fileId]);
      file.due = (job.rewardPerFile * (file.score ?? 0n)) / 10n ** 18n;
      return file;
    }));
  }

  /** The proof job `jobId` added to `fileId`: its index and score, or nothing when it has none. */
  async proofOf(fileId, jobId) {
    const proofs = await this.read(this.registry, "fileProofsCount", [fileId]);
    for (let index = 1n; index <= proofs; index++) {
      const [proofJob, , score] = await this.read(this.registry, "fileProofScore", [fileId, index]);
      if (proofJob === jobId) return { proofIndex: index, score };
    }
    return {};
  }

  async claimReward(file) {
    return (await this.send(file.dao.pool, "requestReward", [file.fileId, file.proofIndex])).transactionHash;
  }

  // ---- a DataDAO's owner

  /** The DataDAOs the wallet owns, as the refiner registry (which the QueryEngine and TaskCoordinator ask) names their owners. */
  async ownedDataDaos() {
    const daos = await this.dataDaos();
    const owners = await Promise.all(daos.map((dao) => this.read(this.refinerRegistry, "dlpOwner", [dao.id])));
    return daos.filter((_, index) => owners[index].toLowerCase() === this.account);
  }

  /** Creates a DataDAO owned by the wallet (`params` as DataDaoParams names them); returns its id and pool. */
  async createDataDao(params) {
    const receipt = await this.send(this.dlpRegistry, "createDataLiquidityPool", [params]);
    const [created] = parseEventLogs({ abi: this.dlpRegistry.abi, logs: receipt.logs, eventName: "DataLiquidityPoolCreated" });
    return { dlpId: created.args.dlpId, pool: created.args.pool, hash: receipt.transactionHash };
  }

  /** DataDAO `dao`'s files, each with its latest job's state and, once validated, its score. */
  async daoFiles(dao) {
    const count = await this.read(this.teePool, "jobsCount");
    const jobs = await Promise.all(Array.from({ length: Number(count) }, (_, index) => BigInt(index + 1))
      .map(async (jobId) => ({ jobId, job: await this.read(this.teePool, "jobRecords", [jobId]) })));
    const latest = new Map();
    for (const { jobId, job } of jobs) if (job.dlpId === dao.id) latest.set(job.fileId, { jobId, job });
    return Promise.all([...latest.values()].map(async ({ jobId, job }) => ({
      fileId: job.fileId, jobId, state: JOB_STATES[job.status], failureReason: job.failureReason,
      ...(job.status === 2 ? await this.proofOf(job.fileId, jobId) : {}),
    })));
  }

  /** DataDAO `dao`'s refiners, each with its schema and the tables its definition names. */
  async refiners(dao) {
    const ids = await this.read(this.refinerRegistry, "dlpRefiners", [dao.id]);
    return Promise.all(ids.map(async (id) => {
      const refiner = await this.read(this.refinerRegistry, "refiners", [id]);
      const schema = await this.read(this.refinerRegistry, "schemas", [refiner.schemaId]);
      return { id, name: refiner.name, schema, tables: await schemaTables(schema) };
    }));
  }

  /** The column permissions on refiner `refinerId`'s tables, oldest first, each with its id. */
  async permissions(refinerId) {
    const ids = await this.read(this.queryEngine, "refinerPermissions", [refinerId]);
    return Promise.all(ids.map(async (id) => ({ id, ...(await this.read(this.queryEngine, "permissions", [id])) })));
  }

  /** Grants `grantee` (everyone when null) a permission on a table's column (all when empty) for `price` wei per query. */
  async grant(refinerId, grantee, table, column, price) {
    const receipt = grantee
      ? await this.send(this.queryEngine, "addPermission", [grantee, refinerId, table, column, price, zeroAddress])
      : await this.send(this.queryEngine, "addGenericPermission", [refinerId, table, column, price, zeroAddress]);
    const [added] = parseEventLogs({ abi: this.queryEngine.abi, logs: receipt.logs, eventName: "PermissionAdded" });
    return { permissionId: added.args.permissionId, approved: added.args.approved, hash: receipt.transactionHash };
  }

  async approvePermission(permissionId) {
    return (await this.send(this.queryEngine, "approvePermission", [permissionId])).transactionHash;
  }

  async revokePermission(permissionId) {
    return (await this.send(this.queryEngine, "revokePermission", [permissionId])).transactionHash;
  }

  /** The algorithm digests DataDAO `dao` allows now: those its AlgorithmAllowed events name, still allowed. */
  async allowedAlgorithms(dao) {
    const events = await this.reads.getContractEvents({ ...this.taskCoordinator, eventName: "AlgorithmAllowed",
      args: { dlpId: dao.id }, fromBlock: BigInt(this.deployment.deploymentBlock) });
    const digests = [...new Set(events.map((event) => event.args.digest))];
    const allowed = await Promise.all(digests.map((digest) => this.read(this.taskCoordinator, "isAlgorithmAllowed", [dao.id, digest])));
    return digests.filter((_, index) => allowed[index]);
  }

  async allowAlgorithm(dlpId, digest) {
    return (await this.send(this.taskCoordinator, "allowAlgorithm", [dlpId, digest])).transactionHash;
  }

  async disallowAlgorithm(dlpId, digest) {
    return (await this.send(this.taskCoordinator, "disallowAlgorithm", [dlpId, digest])).transactionHash;
  }

  /**
   * What the wallet earned as a DataDAO owner from queries (QueryEngine) and compute tasks
   * (Settlement): per ledger and token, the total its Earned events credit and what is unclaimed.
   * The ledgers credit the owner's account, not a DataDAO, so this is the owner's across its DataDAOs.
   */
  async revenue() {
    const rows = [];
    for (const [source, ledger] of this.ledgers) {
      const totals = new Map([[zeroAddress, 0n]]);
      for (const event of await this.earned(ledger)) totals.set(event.args.token, (totals.get(event.args.token) ?? 0n) + event.args.amount);
      for (const [token, total] of totals) {
        const unclaimed = await this.read(ledger, "earnings", [token, this.account]);
        rows.push({ source, ...(await this.tokenInfo(token)), total, unclaimed });
      }
    }
    return rows;
  }

  /** The Earned events of `ledger` that credit the wallet. */
  earned(ledger) {
    return this.reads.getContractEvents({ ...ledger, eventName: "Earned", args: { account: this.account },
      fromBlock: BigInt(this.deployment.deploymentBlock) });
  }

  // ---- a contributor's earnings from rows read, and its key shares

  /**
   * Every leaf of `fileIds` (the wallet's files and those of its tokens) in the roots the ledgers
   * committed for paid queries and compute tasks: each root's leaves fetched from the document its
   * ReadsCommitted event names and rebuilt with OpenZeppelin's StandardMerkleTree, so a leaf is
   * claimable only under the root settled on-chain. Each leaf with its rows, its share (the
   * contributors' cut times its rows over the total, rounded down as the ledger pays it), its token,
   * whether it is claimed, the DataDAO whose refiner read it and its `payee`: whom the ledger credits
   * when it is claimed, the holder of the file's DAT in that DataDAO's class, or the file's registry
   * owner when it has none there (lowercase). `problems` names the roots whose leaves could not be
   * read or do not rebuild the root.
   */
  async rowsRead(fileIds) {
    const mine = new Set(fileIds.map(String));
    const leaves = [];
    const problems = [];
    const documents = new Map();
    const dataDaos = new Map();
    const payees = new Map();
    for (const [source, ledger] of this.ledgers) {
      const commitments = await this.reads.getContractEvents({ ...ledger, eventName: "ReadsCommitted",
        fromBlock: BigInt(this.deployment.deploymentBlock) });
      for (const { args } of commitments) {
        const what = `${source === "queries" ? "query" : "compute task"} ${args.queryId} (refiner ${args.refinerId})`;
        let tree;
        try {
          if (!documents.has(args.leavesUrl)) {
            documents.set(args.leavesUrl, JSON.parse(new TextDecoder().decode(await loopbackBytes(args.leavesUrl))));
          }
          const reads = documents.get(args.leavesUrl).reads?.find((candidate) => BigInt(candidate.refinerId) === args.refinerId);
          tree = StandardMerkleTree.of((reads?.leaves ?? []).map(([fileId, rows]) => [BigInt(fileId), BigInt(rows)]), ["uint256", "uint256"]);
        } catch (error) {
          problems.push(`${what}: its leaves at ${args.leavesUrl} cannot be read: ${error.message}`);
          continue;
        }
        if (tree.root !== args.root) {
          problems.push(`${what}: the leaves at ${args.leavesUrl} do not rebuild the root settled on-chain`);
          continue;
        }
        const ours = [...tree.entries()].filter(([, [fileId]]) => mine.has(fileId.toString()));
        if (ours.length === 0) continue;
        const { token } = await this.read(ledger, "committedReads", [args.queryId, args.refinerId]);
        if (!dataDaos.has(args.refinerId)) dataDaos.set(args.refinerId, await this.read(this.refinerRegistry, "refinerDlpId", [args.refinerId]));
        const dlpId = dataDaos.get(args.refinerId);
        for (const [index, [fileId, rows]] of ours) {
          const leaf = `${dlpId} ${fileId}`;
          if (!payees.has(leaf)) payees.set(leaf, await this.payee(dlpId, fileId));
          leaves.push({ source, ledger, queryId: args.queryId, refinerId: args.refinerId, dlpId, tree, index, fileId, rows, token,
            share: (args.contributorsCut * rows) / args.totalRows, payee: payees.get(leaf),
            claimed: await this.read(ledger, "readClaimed", [args.queryId, args.refinerId, fileId]) });
        }
      }
    }
    return { leaves, problems };
  }

  /** Whom the ledgers pay file `fileId`'s leaves read through DataDAO `dlpId`: its DAT's holder there, else its registry owner. */
  async payee(dlpId, fileId) {
    const dat = await this.datOfFile(dlpId, fileId);
    return (dat ? dat.holder : await this.read(this.registry, "fileOwner", [fileId])).toLowerCase();
  }

  /** What the ledgers hold for the wallet to pull: per ledger, each token its Earned events name with a balance left. */
  async credited() {
    const credits = [];
    for (const [source, ledger] of this.ledgers) {
      const tokens = new Set((await this.earned(ledger)).map((event) => event.args.token));
      for (const token of tokens) {
        const amount = await this.read(ledger, "earnings", [token, this.account]);
        if (amount > 0n) credits.push({ source, ledger, token, amount, ...(await this.tokenInfo(token)) });
      }
    }
    return credits;
  }

  /**
   * Claims unclaimed `leaves` (from rowsRead), one transaction per root and up to LEAVES_PER_CLAIM
   * leaves, with their StandardMerkleTree proofs, each told to `claimed` as it lands; the ledger
   * credits each leaf's share to its payee.
   */
  async claimReads(leaves, claimed) {
    const roots = Map.groupBy(leaves, (leaf) => `${leaf.source} ${leaf.queryId} ${leaf.refinerId}`);
    for (const group of roots.values()) {
      for (let from = 0; from < group.length; from += LEAVES_PER_CLAIM) {
        const batch = group.slice(from, from + LEAVES_PER_CLAIM);
        const { source, ledger, queryId, refinerId, tree } = batch[0];
        const proofs = batch.map((leaf) => tree.getProof(leaf.index));
        const receipt = await this.send(ledger, "claimReads", [queryId,
          { refinerId, fileIds: batch.map((leaf) => leaf.fileId), rowCounts: batch.map((leaf) => leaf.rows) },
          proofs.flat(), proofs.map((proof) => BigInt(proof.length))]);
        claimed({ source, queryId, leaves: batch.length, hash: receipt.transactionHash });
      }
    }
  }

  /** Pulls `credit` (from credited) out of its ledger to the wallet. */
  async claim(credit) {
    return (await this.send(credit.ledger, "claim", [credit.token])).transactionHash;
  }

  /** The accounts holding a key share of `fileId` now (a revoked one is listed with an empty key). */
  async keyHolders(fileId) {
    const grantees = await this.read(this.registry, "fileGrantees", [fileId]);
    const keys = await Promise.all(grantees.map((grantee) => this.read(this.registry, "filePermissions", [fileId, grantee])));
    return grantees.filter((_, index) => keys[index] !== "0x");
  }

  /** Takes `fileId`'s key share back from `account`, as `coop file revoke` does. */
  async revokeKey(fileId, account) {
    return (await this.send(this.registry, "revokeFilePermission", [fileId, account])).transactionHash;
  }

  // ---- Data Anchoring Tokens

  /**
   * Token `tokenId` (its classId, fileId, holder, value quota, shareRatio and expireAt, as
   * `tokenInfo` gives them, the holder lowercase), or null when it was never minted.
   */
  async datToken(tokenId) {
    if ((await this.read(this.dat, "holderOf", [tokenId])) === zeroAddress) return null;
    const info = await this.read(this.dat, "tokenInfo", [tokenId]);
    return { tokenId, ...info, holder: info.holder.toLowerCase() };
  }

  /** File `fileId`'s token in DataDAO `dlpId`'s class, or null when it has none there. */
  async datOfFile(dlpId, fileId) {
    return this.datToken(await this.read(this.dat, "tokenIdOf", [dlpId, fileId]));
  }

  /**
   * The tokens the wallet holds now, in the order they reached it: every token an ERC-1155 transfer
   * (a mint included) sent it since the deployment, less those it has passed on; as `coop dat list`.
   */
  async heldTokens() {
    const [singles, batches] = await Promise.all(["TransferSingle", "TransferBatch"].map((eventName) =>
      this.reads.getContractEvents({ ...this.dat, eventName, args: { to: this.account },
        fromBlock: BigInt(this.deployment.deploymentBlock) })));
    const received = [...singles.map((event) => [event, [event.args.id]]), ...batches.map((event) => [event, event.args.ids])]
      .sort(([a], [b]) => Number(a.blockNumber - b.blockNumber) || a.logIndex - b.logIndex)
      .flatMap(([, ids]) => ids);
    const tokens = await Promise.all([...new Set(received)].map((tokenId) => this.datToken(tokenId)));
    return tokens.filter((token) => token?.holder === this.account);
  }

  /** Moves token `tokenId` from the wallet to `to`, as `coop dat transfer` does: `to` is paid its file's earnings from then on. */
  async transferToken(tokenId, to) {
    return (await this.send(this.dat, "transferToken", [tokenId, to])).transactionHash;
  }

  // ---- a builder's queries

  /** The wallet's prepaid deposit in the QueryEngine, in `token` (the zero address: ether). */
  deposit(token = zeroAddress) {
    return this.read(this.queryEngine, "deposits", [token, this.account]);
  }

  /** Adds `value` wei of ether to the wallet's deposit, as `coop query` tops it up. */
  async topUp(value) {
    return (await this.send(this.queryEngine, "deposit", [], value)).transactionHash;
  }

  /**
   * Who may open an OP task's spec besides its worker, as the SDK's ComputeClient.specReaders picks them: the
   * DataDAO's active refinement services with a secp256k1 key, by address, at most `limit`; they re-execute the
   * task to challenge its result or to referee its dispute.
   */
  async specReaders(dlpId, limit) {
    const services = await this.read(this.refinerRegistry, "dlpRefinementServices", [dlpId]);
    const sorted = [...new Set(services.map((address) => address.toLowerCase()))].sort();
    const readers = [];
    for (const address of sorted) {
      if (readers.length === limit) break;
      const [active, tee] = await Promise.all([this.read(this.teePool, "isActiveTee", [address]),
        this.read(this.teePool, "teeRecords", [address])]);
      if (active && tee.secp256k1PublicKey && tee.secp256k1PublicKey !== "0x") readers.push({ address, key: tee.secp256k1PublicKey });
    }
    return readers;
  }

  /** DataDAO `dlpId`'s query service, as the SDK finds it: its first refinement service and the url it registered as a validator. */
  async queryService(dlpId) {
    const [address] = await this.read(this.refinerRegistry, "dlpRefinementServices", [dlpId]);
    if (!address) throw new Error(`DataDAO ${dlpId} has no refinement service to query; its owner adds one.`);
    const tee = await this.read(this.teePool, "teeRecords", [address]);
    if (!tee.url) throw new Error(`DataDAO ${dlpId}'s query service ${address} publishes no url (it is not registered as a validator).`);
    return { address: address.toLowerCase(), url: tee.url.replace(/\/+$/, "") };
  }

  /** The latest block's time, in seconds: a query request's deadline counts from it, as the SDK's does. */
  async latestBlockSeconds() {
    return (await this.reads.getBlock()).timestamp;
  }

  /**
   * The wallet's EIP-712 signature of a query request (`grantee`, `service`, `sqlHash`, `token`,
   * `maxPrice`, `nonce`, `deadline`): the digest `QueryEngine.queryDigest` computes and the SDK signs.
   */
  signQuery(request) {
    return this.wallet.signTypedData({
      domain: { name: "DataCoop QueryEngine", version: "1", chainId: this.deployment.chainId, verifyingContract: this.queryEngine.address },
      types: { QueryRequest: [{ name: "grantee", type: "address" }, { name: "service", type: "address" },
        { name: "sqlHash", type: "bytes32" }, { name: "token", type: "address" }, { name: "maxPrice", type: "uint256" },
        { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }] },
      primaryType: "QueryRequest",
      message: request,
    });
  }

  // ---- a builder's compute tasks

  isAlgorithmAllowed(dlpId, digest) {
    return this.read(this.taskCoordinator, "isAlgorithmAllowed", [dlpId, digest]);
  }

  /** The DataDAO refiner `refinerId` refines for. */
  refinerDlpId(refinerId) {
    return this.read(this.refinerRegistry, "refinerDlpId", [refinerId]);
  }

  /** What the TaskCoordinator charges the wallet, in ether, for data paid by `permissionIds` (ascending). */
  taskDataPrice(permissionIds) {
    return this.read(this.taskCoordinator, "quote", [this.account, zeroAddress, permissionIds]);
  }

  balance() {
    return this.reads.getBalance({ address: this.account });
  }

  /** Submits `request` (a TaskRequest, fields as ITaskCoordinator names them) paying `value`; returns the task id and receipt. */
  async submitTask(request, value) {
    const receipt = await this.send(this.taskCoordinator, "submitTask", [request], value);
    const [submitted] = parseEventLogs({ abi: this.taskCoordinator.abi, logs: receipt.logs, eventName: "TaskSubmitted" });
    return { taskId: submitted.args.taskId, receipt };
  }

  /** The ids of the tasks the wallet submitted, newest first. */
  async myTasks() {
    const submitted = await this.reads.getContractEvents({ ...this.taskCoordinator, eventName: "TaskSubmitted",
      args: { requester: this.account }, fromBlock: BigInt(this.deployment.deploymentBlock) });
    return submitted.map((event) => event.args.taskId).reverse();
  }

  /**
   * Task `taskId` as the TaskCoordinator keeps it, its record (`state` in words), whether the requester
   * may have it refunded now (failed, or unproved past its deadline), and for a proposed OP result its
   * proposal in the DisputeGame and the chain's block.
   */
  async taskState(taskId) {
    const [task, record, head] = await Promise.all([this.read(this.taskCoordinator, "tasks", [taskId]),
      this.read(this.executionRecord, "records", [taskId]), this.reads.getBlock()]);
    const state = TASK_STATES[record.status];
    const expired = state === "submitted" && head.timestamp > task.deadline;
    const proposal = state === "proposed" ? await this.read(this.disputeGame, "proposals", [taskId]) : null;
    return { taskId, task, record, state, expired, refundable: state === "failed" || expired, proposal, block: head.number };
  }

  async refundTask(taskId) {
    return (await this.send(this.taskCoordinator, "refund", [taskId])).transactionHash;
  }

  /** The symbol and decimals of `token`; the zero address is the chain's ether. */
  async tokenInfo(token) {
    if (token === zeroAddress) return { symbol: "ETH", decimals: 18 };
    const contract = { address: token, abi: erc20Abi };
    const [symbol, decimals] = await Promise.all([this.read(contract, "symbol"), this.read(contract, "decimals")]);
    return { symbol, decimals };
  }
}

/** The tables a schema's definition lists (name and column names), checked against its on-chain digest; else a sentence saying why not. */
async function schemaTables(schema) {
  const url = schema.definitionUrl;
  let bytes;
  try {
    bytes = await loopbackBytes(url);
  } catch (error) {
    return `defined at ${url}, which this page cannot read: ${error.message}`;
  }
  if (bytesToHex(sha256(bytes)) !== schema.definitionDigest) return `the definition at ${url} does not match its on-chain digest`;
  return JSON.parse(new TextDecoder().decode(bytes)).tables.map((table) => ({ name: table.name,
    columns: (table.columns ?? []).map((column) => column.name) }));
}
