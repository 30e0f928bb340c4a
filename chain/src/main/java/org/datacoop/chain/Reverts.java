package org.datacoop.chain;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.datacoop.chain.contracts.ChallengerRegistry;
import org.datacoop.chain.contracts.DataAnchoringToken;
import org.datacoop.chain.contracts.DataDaoToken;
import org.datacoop.chain.contracts.DataLiquidityPool;
import org.datacoop.chain.contracts.DataLiquidityPoolRegistry;
import org.datacoop.chain.contracts.DataRefinerRegistry;
import org.datacoop.chain.contracts.DataRegistry;
import org.datacoop.chain.contracts.DataCommitments;
import org.datacoop.chain.contracts.DisputeGame;
import org.datacoop.chain.contracts.OwnershipRegistry;
import org.datacoop.chain.contracts.OperatorTemplates;
import org.datacoop.chain.contracts.DataUnions;
import org.datacoop.chain.contracts.ExecutionRecord;
import org.datacoop.chain.contracts.QueryEngine;
import org.datacoop.chain.contracts.Settlement;
import org.datacoop.chain.contracts.TaskCoordinator;
import org.datacoop.chain.contracts.TeePool;
import org.datacoop.chain.contracts.Verifier;
import org.web3j.abi.CustomErrorEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.CustomError;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.protocol.core.Response;
import org.web3j.utils.Numeric;

/**
 * A refused call in words: the contract's custom error by name with its arguments
 * ({@code TaskCoordinatorRefundTooEarly(0x19.., 1764800000)}), a {@code require} reason, or a panic.
 * The node answers a refused estimate with the revert data only, and web3j drops even that
 * ("Failed to estimate gas limit"), so the errors of DataCoop's contracts are decoded here.
 */
final class Reverts {
    /** Every contract whose errors a DataCoop call can meet: their generated bindings list the errors. */
    private static final List<Class<?>> CONTRACTS = List.of(DataRegistry.class, TeePool.class, DataLiquidityPool.class,
            DataLiquidityPoolRegistry.class, DataRefinerRegistry.class, DataDaoToken.class, QueryEngine.class,
            TaskCoordinator.class, Verifier.class, ExecutionRecord.class, Settlement.class, DisputeGame.class,
            ChallengerRegistry.class, DataAnchoringToken.class, DataCommitments.class, OwnershipRegistry.class,
            OperatorTemplates.class, DataUnions.class);
    private static final String ERROR_STRING = "0x08c379a0";
    private static final String PANIC = "0x4e487b71";
    private static final Map<String, CustomError> ERRORS = errors();
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final List<TypeReference<Type>> STRING = List.of((TypeReference) new TypeReference<Utf8String>() {});

    private Reverts() {}

    /** What {@code error} (a JSON-RPC error of a call or an estimate) says, its revert decoded when it has one. */
    static String describe(Response.Error error) {
        String data = error.getData() == null ? "" : error.getData().replace("\"", "").strip();
        if (!data.startsWith("0x") || data.length() < 10) {
            return error.getMessage();
        }
        return "reverted: " + decode(data);
    }

    static String decode(String data) {
        String selector = data.substring(0, 10).toLowerCase();
        String arguments = data.substring(10);
        try {
            if (selector.equals(ERROR_STRING)) {
                return (String) FunctionReturnDecoder.decode(arguments, STRING).get(0).getValue();
            }
            if (selector.equals(PANIC)) {
                return "panic 0x" + new BigInteger(arguments, 16).toString(16) + " (an assertion, overflow or bad index)";
            }
            CustomError known = ERRORS.get(selector);
            if (known == null) {
                return "custom error " + selector + (arguments.isEmpty() ? "" : " with data 0x" + arguments);
            }
            @SuppressWarnings({"rawtypes", "unchecked"})
            List<Type> values = FunctionReturnDecoder.decode(arguments, (List) known.getParameters());
            return known.getName() + "(" + values.stream().map(Reverts::show).collect(Collectors.joining(", ")) + ")";
        } catch (RuntimeException e) {
            return "revert data " + data;
        }
    }

    private static String show(Type<?> value) {
        Object plain = value.getValue();
        if (plain instanceof byte[] bytes) {
            return Numeric.toHexString(bytes);
        }
        return String.valueOf(plain);
    }

    private static Map<String, CustomError> errors() {
        Map<String, CustomError> errors = new HashMap<>();
        for (Class<?> contract : CONTRACTS) {
            for (Field field : contract.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == CustomError.class) {
                    try {
                        CustomError error = (CustomError) field.get(null);
                        errors.put(CustomErrorEncoder.encode(error).substring(0, 10).toLowerCase(), error);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return Map.copyOf(errors);
    }
}
