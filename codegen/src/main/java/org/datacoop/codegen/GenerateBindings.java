package org.datacoop.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.web3j.codegen.SolidityFunctionWrapper;
import org.web3j.protocol.core.methods.response.AbiDefinition;

/**
 * Generates web3j wrappers from forge artifacts ({@code out/Name.sol/Name.json}). web3j's own
 * generators read separate {@code .abi}/{@code .bin} files or Truffle JSON, and forge writes
 * neither, so this reads forge's layout and hands the ABI and bytecode to web3j's generator.
 *
 * <p>Usage: {@code GenerateBindings ARTIFACTS_DIR OUTPUT_DIR PACKAGE CONTRACT...}; a contract named
 * {@code NAME:deploy} gets only its constructor, for contracts Java deploys but never calls whose
 * functions web3j's generator cannot type (snarkjs's verifiers take {@code uint[2][2]}).
 */
public final class GenerateBindings {
    private static final int ADDRESS_LENGTH_BYTES = 20;
    private static final String DEPLOY_ONLY = ":deploy";

    private GenerateBindings() {}

    public static void main(String[] args) throws IOException, ClassNotFoundException {
        if (args.length < 4) {
            throw new IllegalArgumentException(
                    "usage: GenerateBindings ARTIFACTS_DIR OUTPUT_DIR PACKAGE CONTRACT...");
        }
        Path artifacts = Path.of(args[0]);
        String outputDir = args[1];
        String packageName = args[2];
        List<String> contracts = Arrays.asList(args).subList(3, args.length);
        ObjectMapper json = new ObjectMapper();
        SolidityFunctionWrapper generator =
                new SolidityFunctionWrapper(true, false, false, ADDRESS_LENGTH_BYTES);
        for (String argument : contracts) {
            boolean deployOnly = argument.endsWith(DEPLOY_ONLY);
            String contract = deployOnly ? argument.substring(0, argument.length() - DEPLOY_ONLY.length()) : argument;
            Path artifact = artifacts.resolve(contract + ".sol").resolve(contract + ".json");
            if (!Files.isRegularFile(artifact)) {
                throw new IllegalStateException(
                        "no forge artifact for " + contract + " at " + artifact + " (did forge build run?)");
            }
            JsonNode root = json.readTree(artifact.toFile());
            List<AbiDefinition> abi = Arrays.stream(json.treeToValue(root.path("abi"), AbiDefinition[].class))
                    .filter(definition -> !deployOnly || "constructor".equals(definition.getType()))
                    .toList();
            String bytecode = root.path("bytecode").path("object").asText("");
            if (bytecode.isEmpty()) {
                throw new IllegalStateException("forge artifact " + artifact + " has no bytecode");
            }
            generator.generateJavaFiles(contract, bytecode, abi, outputDir, packageName, Map.of());
        }
    }

}
