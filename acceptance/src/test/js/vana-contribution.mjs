// Vana's contribution flow against a DataCoop deployment, with the contract ABIs and the crypto of
// Vana's published SDK (@opendatalabs/vana-sdk) and viem, as a Vana client would run it:
// derive the password from a wallet signature, encrypt the file with openpgp.js, upload it, wrap
// the password (eccrypto layout) to the validator's published key, register the file with its key
// granted to the DataDAO's pool and the validator, pay requestContributionProof(fileId), find the
// job from JobSubmitted, wait for DataCoop's validator to prove it, read fileProofs and ask
// requestReward. Prints one JSON line of what it saw; any failure exits non-zero with the reason.
//
// Run: node --import ./resolve-vana-sdk.mjs vana-contribution.mjs, with the environment
// RPC_URL, CHAIN_ID, PRIVATE_KEY (a funded wallet), DATA_REGISTRY, TEE_POOL, DLP_POOL, DLP_ID,
// STORAGE_URL (DataCoop's gateway), VALIDATOR (the validator expected to prove), CONTENT (the file),
// TIMEOUT_SECONDS.
import {
  createNodePlatformAdapter,
  DEFAULT_ENCRYPTION_SEED,
  encryptBlobWithSignedKey,
  encryptWithWalletPublicKey,
  generateEncryptionKey,
  getAbi,
} from "@opendatalabs/vana-sdk/node";
import {
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  erc20Abi,
  getAddress,
  http,
  keccak256,
  parseEventLogs,
  slice,
  toBytes,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { check, env } from "./script-env.mjs";

const chain = defineChain({
  id: Number(env("CHAIN_ID")),
  name: "DataCoop devnet",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [env("RPC_URL")] } },
});
const account = privateKeyToAccount(env("PRIVATE_KEY"));
const publicClient = createPublicClient({ chain, transport: http() });
const walletClient = createWalletClient({ account, chain, transport: http() });
const platform = await createNodePlatformAdapter();
const registry = { address: getAddress(env("DATA_REGISTRY")), abi: getAbi("DataRegistry") };
const teePool = { address: getAddress(env("TEE_POOL")), abi: getAbi("TeePool") };
const dlp = { address: getAddress(env("DLP_POOL")), abi: getAbi("DataLiquidityPool") };
const validator = getAddress(env("VALIDATOR"));
const dlpId = BigInt(env("DLP_ID"));
const deadline = Date.now() + 1000 * Number(env("TIMEOUT_SECONDS"));

async function send(contract, functionName, args, value) {
  const hash = await walletClient.writeContract({ ...contract, functionName, args, value });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  check(receipt.status === "success", `${functionName} reverted (transaction ${hash})`);
  return receipt;
}

function only(receipt, contract, eventName) {
  const events = parseEventLogs({ abi: contract.abi, logs: receipt.logs, eventName })
    .filter((event) => event.address.toLowerCase() === contract.address.toLowerCase());
  check(events.length === 1, `expected one ${eventName} event, found ${events.length}`);
  return events[0].args;
}

// 1. The password: the wallet's signature of Vana's seed; the file encrypted with it (openpgp.js).
const password = await generateEncryptionKey(walletClient, platform, DEFAULT_ENCRYPTION_SEED);
const content = env("CONTENT");
const encrypted = await encryptBlobWithSignedKey(content, password, platform);

// 2. Upload to DataCoop's storage gateway, as an SDK storage callback would.
const upload = await fetch(`${env("STORAGE_URL")}/blobs`, { method: "POST", body: encrypted });
if (upload.status !== 201) throw new Error(`the storage gateway answered ${upload.status}: ${await upload.text()}`);
const { url } = await upload.json();

// 3. The password wrapped (eccrypto layout, hex) to the validator's key, read from Vana's tees().
const tee = await publicClient.readContract({ ...teePool, functionName: "tees", args: [validator] });
check(tee.status === 1 && tee.publicKey.length > 0, `validator ${validator} is not active with a key: ${JSON.stringify(tee, replacer)}`);
const wrapped = await encryptWithWalletPublicKey(password, tee.publicKey, platform);

// 4. Register as the SDK's upload does (addFileWithPermissionsAndSchema, schema 0), the key granted
//    to the DataDAO's pool (which binds the job to it) and to the validator (which opens it).
const permissions = [{ account: dlp.address, key: wrapped }, { account: validator, key: wrapped }];
const registered = await send(registry, "addFileWithPermissionsAndSchema", [url, account.address, permissions, 0n]);
const fileId = only(registered, registry, "FileAdded").fileId;
const file = await publicClient.readContract({ ...registry, functionName: "files", args: [fileId] });
check(getAddress(file.ownerAddress) === account.address && file.url === url, `files(${fileId}) is ${JSON.stringify(file, replacer)}`);

// DataCoop's rule under Vana's call: nobody registers a file in another's name (Vana lets anyone).
const stranger = privateKeyToAccount(generatePrivateKey()).address;
const refusal = await publicClient
  .simulateContract({ ...registry, functionName: "addFileWithPermissions", args: [`${url}?copy`, stranger, []], account })
  .then(() => null, (error) => error.walk((cause) => cause instanceof ContractFunctionRevertedError));
const ownerNotSender = slice(keccak256(toBytes("DataRegistryOwnerNotSender(address,address)")), 0, 4);
check(refusal?.signature === ownerNotSender,
  `registering a file in another's name was not refused with DataRegistryOwnerNotSender: ${refusal?.shortMessage ?? "accepted"}`);

// 5. Pay for the proof; the job from JobSubmitted (Vana's event shape).
const fee = await publicClient.readContract({ ...teePool, functionName: "teeFee" });
const paid = await send(teePool, "requestContributionProof", [fileId], fee);
const submitted = only(paid, teePool, "JobSubmitted");
check(submitted.fileId === fileId, `JobSubmitted names file ${submitted.fileId}, not ${fileId}`);
check(getAddress(submitted.teeAddress) === validator, `the job went to ${submitted.teeAddress}, not ${validator}`);
const jobIds = await publicClient.readContract({ ...teePool, functionName: "fileJobIds", args: [fileId] });
check(jobIds.includes(submitted.jobId), `fileJobIds(${fileId}) is ${jobIds} without job ${submitted.jobId}`);

// 6. DataCoop's validator proves it by itself (it watches the chain); poll Vana's jobs().
let job;
for (;;) {
  job = await publicClient.readContract({ ...teePool, functionName: "jobs", args: [submitted.jobId] });
  if (job.status !== 1) break;
  check(Date.now() < deadline, `job ${submitted.jobId} is still open after ${env("TIMEOUT_SECONDS")} s`);
  await new Promise((resolve) => setTimeout(resolve, 250));
}
check(job.status === 2, `job ${submitted.jobId} ended with status ${job.status}, not completed (2)`);
check(job.fileId === fileId && getAddress(job.ownerAddress) === account.address, `jobs() is ${JSON.stringify(job, replacer)}`);

// 7. The proof, numbered from 1 as on Vana.
const proof = await publicClient.readContract({ ...registry, functionName: "fileProofs", args: [fileId, 1n] });
check(proof.data.dlpId === dlpId, `proof 1 is for DataDAO ${proof.data.dlpId}, not ${dlpId}`);
check(proof.data.score > 0n, `proof 1 scored ${proof.data.score}`);

// 8. The reward, and the RewardRequested event as Vana emits it.
const token = await publicClient.readContract({ ...dlp, functionName: "token" });
const before = await publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [account.address] });
const rewarded = await send(dlp, "requestReward", [fileId, 1n]);
const reward = only(rewarded, dlp, "RewardRequested");
check(getAddress(reward.contributorAddress) === account.address, `the reward went to ${reward.contributorAddress}`);
check(reward.fileId === fileId && reward.proofIndex === 1n, `RewardRequested is ${JSON.stringify(reward, replacer)}`);
const after = await publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [account.address] });
check(after - before === reward.rewardAmount && reward.rewardAmount > 0n, `the balance grew by ${after - before}, the event says ${reward.rewardAmount}`);

console.log(JSON.stringify({
  fileId, jobId: submitted.jobId, validator: submitted.teeAddress, score: proof.data.score,
  proofUrl: proof.data.proofUrl, reward: reward.rewardAmount,
}, replacer));

function replacer(_key, value) {
  return typeof value === "bigint" ? value.toString() : value;
}
