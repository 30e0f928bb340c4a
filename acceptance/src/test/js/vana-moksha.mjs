// Vana's SDK, unchanged and through its own high-level API, on DataCoop's Moksha stand-in (a devnet
// with chain id 14800 and DataCoop's contracts at the addresses the SDK's table names): Vana({...})
// with a callback storage on DataCoop's gateway, vana.data.upload with the key granted to the
// DataDAO's pool and the validator (the SDK encrypts, wraps and registers, and finds the file id
// from FileAdded), the TeePool and DataRegistry from vana.protocol.createContract (found by the SDK
// in its address table), requestContributionProof, jobs, fileProofs, vana.data.getFileById; the
// DataDAO's requestReward with the SDK's DataLiquidityPool ABI (a DataDAO is in no table). Prints
// one JSON line of what it saw; any failure exits non-zero with the reason.
//
// Run: node --import ./resolve-vana-sdk.mjs vana-moksha.mjs, with the environment RPC_URL,
// PRIVATE_KEY (a funded wallet), DLP_POOL, DLP_ID, STORAGE_URL, VALIDATOR, CONTENT, TIMEOUT_SECONDS.
import { CallbackStorage, getAbi, mokshaTestnet, Vana } from "@opendatalabs/vana-sdk/node";
import { createPublicClient, createWalletClient, erc20Abi, getAddress, http, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { check, env, replacer } from "./script-support.mjs";


// Moksha as the SDK defines it, reached at the stand-in's RPC url.
const chain = { ...mokshaTestnet, rpcUrls: { default: { http: [env("RPC_URL")] } } };
const account = privateKeyToAccount(env("PRIVATE_KEY"));
const walletClient = createWalletClient({ account, chain, transport: http(env("RPC_URL")) });
const publicClient = createPublicClient({ chain, transport: http(env("RPC_URL")) });
const storageUrl = env("STORAGE_URL");
const storage = new CallbackStorage({
  async upload(blob) {
    const response = await fetch(`${storageUrl}/blobs`, { method: "POST", body: blob });
    if (response.status !== 201) throw new Error(`the storage gateway answered ${response.status}: ${await response.text()}`);
    const { url, size } = await response.json();
    return { url, size, contentType: "application/octet-stream" };
  },
  async download(url) {
    return (await fetch(url)).blob();
  },
});
const vana = Vana({ walletClient, storage: { providers: { datacoop: storage }, defaultProvider: "datacoop" } });
const validator = getAddress(env("VALIDATOR"));
const dlpPool = getAddress(env("DLP_POOL"));
const dlpId = BigInt(env("DLP_ID"));
const deadline = Date.now() + 1000 * Number(env("TIMEOUT_SECONDS"));

const teePool = vana.protocol.createContract("TeePoolPhala");
const registry = vana.protocol.createContract("DataRegistry");
const tee = await teePool.read.tees([validator]);
check(tee.status === 1 && tee.publicKey.length > 0, `validator ${validator} is not active with a key`);

const uploaded = await vana.data.upload({
  content: env("CONTENT"),
  filename: "steps.json",
  permissions: [
    { account: dlpPool, publicKey: tee.publicKey },
    { account: validator, publicKey: tee.publicKey },
  ],
});
const fileId = BigInt(uploaded.fileId);
const file = await vana.data.getFileById(uploaded.fileId);
check(getAddress(file.ownerAddress) === account.address, `file ${fileId} is owned by ${file.ownerAddress}`);

const fee = await teePool.read.teeFee();
const hash = await teePool.write.requestContributionProof([fileId], { value: fee, account, chain });
const receipt = await publicClient.waitForTransactionReceipt({ hash });
check(receipt.status === "success", `requestContributionProof reverted (${hash})`);
const [submitted] = parseEventLogs({ abi: getAbi("TeePoolPhala"), logs: receipt.logs, eventName: "JobSubmitted" }).map((e) => e.args);
check(submitted && submitted.fileId === fileId, `no JobSubmitted for file ${fileId}`);

let job;
for (;;) {
  job = await teePool.read.jobs([submitted.jobId]);
  if (job.status !== 1) break;
  check(Date.now() < deadline, `job ${submitted.jobId} is still open after ${env("TIMEOUT_SECONDS")} s`);
  await new Promise((resolve) => setTimeout(resolve, 250));
}
check(job.status === 2, `job ${submitted.jobId} ended with status ${job.status}, not completed (2)`);

const proof = await registry.read.fileProofs([fileId, 1n]);
check(proof.data.dlpId === dlpId && proof.data.score > 0n, `proof 1 is ${JSON.stringify(proof, replacer)}`);

const dlp = { address: dlpPool, abi: getAbi("DataLiquidityPool") };
const token = await publicClient.readContract({ ...dlp, functionName: "token" });
const rewardHash = await walletClient.writeContract({ ...dlp, functionName: "requestReward", args: [fileId, 1n] });
const rewarded = await publicClient.waitForTransactionReceipt({ hash: rewardHash });
const [reward] = parseEventLogs({ abi: dlp.abi, logs: rewarded.logs, eventName: "RewardRequested" }).map((e) => e.args);
check(reward && getAddress(reward.contributorAddress) === account.address, "no RewardRequested to the contributor");
const balance = await publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [account.address] });
check(balance === reward.rewardAmount, `the balance is ${balance}, the reward ${reward.rewardAmount}`);

console.log(JSON.stringify({ fileId, jobId: submitted.jobId, score: proof.data.score, reward: reward.rewardAmount }, replacer));
