package org.datacoop.sdk.contribute;

import java.util.Map;
import org.datacoop.protocol.ProofRequest;

/**
 * Env vars and secrets a contributor gives the DataDAO's program for a contribution (an API key
 * the program calls a service with, a mode). Env vars go to the validator as they are; secrets are
 * wrapped to the validator's RSA key first (RSA-OAEP, SHA-256), so only its enclave opens them.
 * Both reach the validator only in a request the wallet signs.
 *
 * @param envVars name to value
 * @param secrets name to value, in the clear here (never logged)
 */
public record ProgramVariables(Map<String, String> envVars, Map<String, String> secrets) {
    public static final ProgramVariables NONE = new ProgramVariables(Map.of(), Map.of());

    /**
     * @throws IllegalArgumentException naming a name that cannot be an environment variable's, or
     *     one given both as an env var and as a secret
     */
    public ProgramVariables {
        envVars = Map.copyOf(envVars);
        secrets = Map.copyOf(secrets);
        for (String name : envVars.keySet()) {
            requireName(name);
            if (secrets.containsKey(name)) {
                throw new IllegalArgumentException(name + " is given both as an env var and as a secret; name each variable once");
            }
        }
        secrets.keySet().forEach(ProgramVariables::requireName);
    }

    public boolean isEmpty() {
        return envVars.isEmpty() && secrets.isEmpty();
    }

    private static void requireName(String name) {
        if (!ProofRequest.isVariableName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not an environment variable name (letters, digits and _, "
                    + "not starting with a digit)");
        }
        if (ProofRequest.isReservedVariable(name)) {
            // refused here, before the fee is paid, as the validator would refuse it after
            throw new IllegalArgumentException(name + " is reserved: it would change what the program runs");
        }
    }

    @Override
    public String toString() {
        return "ProgramVariables[envVars=" + envVars.keySet() + ", secrets=" + secrets.keySet() + "]"; // names only
    }
}
