// The user's own wallet: any EIP-1193 provider, discovered with EIP-6963 (else window.ethereum),
// brought onto the deployment's chain.
import { wrongChain, NO_WALLET } from "./messages.js";

/** The first wallet that announces itself (EIP-6963), else the legacy window.ethereum. */
export async function discover() {
  const announced = [];
  const listener = (event) => announced.push(event.detail);
  window.addEventListener("eip6963:announceProvider", listener);
  window.dispatchEvent(new Event("eip6963:requestProvider"));
  await new Promise((resolve) => setTimeout(resolve, 300)); // announcements answer the request synchronously or soon after
  window.removeEventListener("eip6963:announceProvider", listener);
  const provider = announced[0]?.provider ?? window.ethereum;
  if (!provider) throw new Error(NO_WALLET);
  return { provider, name: announced[0]?.info?.name ?? "browser wallet" };
}

/** Connects, then switches (or adds) the deployment's chain; a wallet left elsewhere is an error in words. */
export async function connect(provider, deployment) {
  const [account] = await provider.request({ method: "eth_requestAccounts" });
  if (!account) throw new Error("Your wallet shared no account; unlock it and connect again.");
  const wanted = `0x${deployment.chainId.toString(16)}`;
  let current = await provider.request({ method: "eth_chainId" });
  if (BigInt(current) !== BigInt(wanted)) {
    try {
      await provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: wanted }] });
    } catch (error) {
      if (error?.code === 4902) {
        await provider.request({
          method: "wallet_addEthereumChain",
          params: [{ chainId: wanted, chainName: `DataCoop (chain ${deployment.chainId})`, rpcUrls: [deployment.rpcUrl],
            nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 } }],
        }).catch(() => {});
      }
    }
    current = await provider.request({ method: "eth_chainId" });
    if (BigInt(current) !== BigInt(wanted)) throw new Error(wrongChain(BigInt(current), deployment.chainId));
  }
  return account.toLowerCase();
}
