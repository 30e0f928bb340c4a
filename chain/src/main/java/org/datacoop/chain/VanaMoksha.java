package org.datacoop.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.datacoop.protocol.IoFailures;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A local stand-in for Vana's Moksha testnet, so that Vana's SDK runs unchanged against DataCoop:
 * the SDK accepts only Vana's chains (14800 Moksha, 1480 mainnet) and finds each contract in a
 * fixed table. The devnet runs with Moksha's chain id, and {@link #relocate} moves DataCoop's
 * contracts to the addresses that table names.
 *
 * <p>A contract is moved by copying its code and storage ({@code anvil_dumpState}, then
 * {@code anvil_setCode} and {@code anvil_setStorageAt}) and rewriting, in every contract's code
 * and storage, its old address to the new one: immutables (TeePool's registry, a pool's registry)
 * and stored links (the registry's TeePool) follow it. An EIP-712 contract caches its domain
 * separator, computed over its address, as an immutable; that is rewritten to the new address's.
 * Done before anything else is on the chain, nothing emitted at an old address is missed.
 */
public final class VanaMoksha {
    /** Moksha's chain id. */
    public static final long CHAIN_ID = 14800;

    /**
     * Where Vana's SDK ({@code @opendatalabs/vana-sdk} 0.1.0-alpha.47bbd13, {@code config/addresses})
     * looks for each contract on Moksha. The TeePool takes the address of the SDK's
     * {@code TeePoolPhala}, the pool its event registry knows {@code requestContributionProof} on.
     */
    public static final Map<String, String> ADDRESSES = Map.of(
            Deployment.DATA_REGISTRY, "0x8c8788f98385f6ba1add4234e551abba0f82cb7c",
            Deployment.TEE_POOL, "0xe8ec6bd73b23ad40e6b9a6f4bd343fac411bd99a",
            Deployment.REFINER_REGISTRY, "0x93c3ef89369fdcf08be159d9def0f18ab6be008c",
            Deployment.QUERY_ENGINE, "0xd25eb66ea2452cf3238a2ec6c1fd1b7f5b320490");

    private static final Map<String, String> EIP712_NAMES = Map.of(
            Deployment.TEE_POOL, "DataCoop TeePool",
            Deployment.QUERY_ENGINE, "DataCoop QueryEngine");

    private VanaMoksha() {}

    /**
     * Moves the contracts of {@code deployed} (name to address) that {@link #ADDRESSES} names to
     * Vana's addresses on the anvil at {@code rpcUrl}, and returns {@code deployed} with them moved.
     * Refused, naming why, off a devnet with Moksha's chain id.
     */
    public static Map<String, String> relocate(String rpcUrl, long chainId, Map<String, String> deployed) {
        if (chainId != CHAIN_ID) {
            throw new ChainException("the Moksha stand-in needs a devnet with chain id " + CHAIN_ID + ", not " + chainId);
        }
        Map<String, String> replacements = new LinkedHashMap<>();
        Map<String, String> moved = new LinkedHashMap<>(deployed);
        ADDRESSES.forEach((name, target) -> {
            String old = deployed.get(name);
            if (old == null) {
                throw new ChainException("the deployment has no " + name + " to move to " + target);
            }
            replacements.put(bare(old), bare(target));
            String eip712 = EIP712_NAMES.get(name);
            if (eip712 != null) {
                replacements.put(HexFormat.of().formatHex(Eip712.domainSeparator(eip712, chainId, old)),
                        HexFormat.of().formatHex(Eip712.domainSeparator(eip712, chainId, target)));
            }
            moved.put(name, target);
        });

        Web3jService rpc = new HttpService(rpcUrl);
        JsonNode accounts = dumpState(rpc).get("accounts");
        for (var entry : accounts.properties()) {
            String address = entry.getKey().toLowerCase();
            JsonNode account = entry.getValue();
            String code = account.path("code").asText("0x");
            if (code.equals("0x") && account.path("storage").isEmpty()) {
                continue;
            }
            String target = replacements.getOrDefault(bare(address), bare(address));
            boolean moving = !target.equals(bare(address));
            String newCode = "0x" + rewrite(bare(code), replacements);
            if (moving || !newCode.equals(code)) {
                call(rpc, "anvil_setCode", "0x" + target, newCode);
            }
            for (var slot : account.path("storage").properties()) {
                String value = word(slot.getValue().asText());
                String newValue = rewrite(value, replacements);
                if (moving || !newValue.equals(value)) {
                    call(rpc, "anvil_setStorageAt", "0x" + target, "0x" + word(slot.getKey()), "0x" + newValue);
                }
            }
            if (moving) {
                BigInteger balance = Numeric.toBigInt(account.path("balance").asText("0x0"));
                if (balance.signum() > 0) {
                    call(rpc, "anvil_setBalance", "0x" + target, Numeric.toHexStringWithPrefix(balance));
                }
                call(rpc, "anvil_setCode", address, "0x"); // the old copy answers nothing any more
            }
        }
        return moved;
    }

    private static JsonNode dumpState(Web3jService rpc) {
        String gzipped = call(rpc, "anvil_dumpState");
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(Numeric.hexStringToByteArray(gzipped)))) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the devnet's state dump failed: " + e.getMessage(), e);
        }
    }

    private static String rewrite(String hex, Map<String, String> replacements) {
        String out = hex.toLowerCase();
        for (var replacement : replacements.entrySet()) {
            out = out.replace(replacement.getKey(), replacement.getValue());
        }
        return out;
    }

    /** A storage key or value as 64 hex digits (the dump may drop leading zeros). */
    private static String word(String hex) {
        return String.format("%64s", Numeric.toBigInt(hex).toString(16)).replace(' ', '0');
    }

    private static String bare(String hex) {
        return Numeric.cleanHexPrefix(hex).toLowerCase();
    }

    private static String call(Web3jService rpc, String method, Object... params) {
        try {
            Text response = new Request<>(method, List.of(params), rpc, Text.class).send();
            if (response.hasError()) {
                throw new ChainException(method + " failed: " + response.getError().getMessage());
            }
            return response.getResult();
        } catch (IOException e) {
            throw new ChainException(method + " failed: " + IoFailures.describe(e), e);
        }
    }

    /** A JSON-RPC answer read as text (anvil's methods answer a hex string or null). */
    public static final class Text extends Response<String> {}
}
