package org.datacoop.protocol;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a caller asks a validator for one job, in the fields of Vana's {@code /RunProof} and
 * LazAI's {@code /proof}: what the file's owner signs (EIP-712, {@code JobRequestDigest} in the
 * chain module) so that nobody else can give a job its env vars, secrets or nonce.
 *
 * @param nonce echoed, signed, in the attestation; required in a signed request, where a higher
 *     one replaces a lower one
 * @param encryptionSeed the seed the contributor signed to derive the file's password; null when not sent
 * @param encryptionKey the file's password in the clear (Vana's {@code encryption_key}); null when not sent
 * @param encryptedEncryptionKey the password wrapped to the validator, hex as sent (Vana's
 *     {@code encrypted_encryption_key}, LazAI's {@code encryption_key}); null when not sent
 * @param envVars given to the program as environment variables
 * @param secrets name to value wrapped to the validator's RSA key (RSA-OAEP, SHA-256), hex as sent
 */
public record ProofRequest(
        long jobId,
        long fileId,
        Long nonce,
        String encryptionSeed,
        String encryptionKey,
        String encryptedEncryptionKey,
        Map<String, String> envVars,
        Map<String, String> secrets) {
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern RESERVED_VARIABLE = Pattern.compile(
            "LD_.*|PATH|HOME|IFS|ENV|BASH_ENV|BASH_FUNC_.*|SHELLOPTS|BASHOPTS|PS4|CDPATH|TMPDIR|GCONV_PATH|LOCPATH"
                    + "|GLIBC_TUNABLES|MALLOC_.*|PYTHON.*|PERL5.*|PERLLIB|RUBY.*|GEM_.*|NODE_.*|JAVA_TOOL_OPTIONS"
                    + "|_JAVA_OPTIONS|JDK_JAVA_OPTIONS|CLASSPATH|INPUT_DIR|OUTPUT_DIR",
            Pattern.CASE_INSENSITIVE);

    public ProofRequest {
        envVars = envVars == null ? Map.of() : Map.copyOf(envVars);
        secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
    }

    /** Whether {@code name} can be an environment variable's name: letters, digits and {@code _}, not starting with a digit. */
    public static boolean isVariableName(String name) {
        return VARIABLE_NAME.matcher(name).matches();
    }

    /**
     * Whether {@code name} is a variable a caller may not set: one that changes which code a program
     * loads or runs (the dynamic loader's, interpreters' and shells' own), or one the node sets.
     * Otherwise a contributor could ship a library in their zip and have the DataDAO's program load it.
     */
    public static boolean isReservedVariable(String name) {
        return RESERVED_VARIABLE.matcher(name).matches();
    }

    /** Whether this request would give the job something only the file's owner may: env vars, secrets or a nonce. */
    public boolean setsOwnerFields() {
        return !envVars.isEmpty() || !secrets.isEmpty() || nonce != null;
    }

    @Override
    public String toString() {
        return "ProofRequest[jobId=" + jobId + ", fileId=" + fileId + ", nonce=" + nonce + "]"; // no keys, no values
    }
}
