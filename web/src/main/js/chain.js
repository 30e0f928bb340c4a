// Every chain call the page makes: reads over the deployment's rpc url, writes through the user's wallet.
import { createPublicClient, createWalletClient, custom, defineChain, erc20Abi, http } from "viem";
import { abi as registryAbi } from "../../../../contracts/out/DataRegistry.sol/DataRegistry.json";
import { abi as teePoolAbi } from "../../../../contracts/out/TeePool.sol/TeePool.json";
import { abi as dlpRegistryAbi } from "../../../../contracts/out/DataLiquidityPoolRegistry.sol/DataLiquidityPoolRegistry.json";
import { abi as dlpAbi } from "../../../../contracts/out/DataLiquidityPool.sol/DataLiquidityPool.json";

export const JOB_STATES = ["none", "waiting for the validator", "validated", "failed", "cancelled"];

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
      const proofs = await this.read(this.registry, "fileProofsCount", [fileId]);
      for (let index = 1n; index <= proofs; index++) {
        const [proofJob, , score] = await this.read(this.registry, "fileProofScore", [fileId, index]);
        if (proofJob === jobId) Object.assign(file, { proofIndex: index, score });
      }
      file.reward = await this.read(dao.pool, "fileRewards", [fileId]);
      file.due = (job.rewardPerFile * (file.score ?? 0n)) / 10n ** 18n;
      return file;
    }));
  }

  async claimReward(file) {
    return (await this.send(file.dao.pool, "requestReward", [file.fileId, file.proofIndex])).transactionHash;
  }
}
