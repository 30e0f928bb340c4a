package org.datacoop.cli;

import java.nio.file.Path;
import org.datacoop.protocol.crypto.PasswordEncryption;
import picocli.CommandLine.Command;

/** {@code coop decrypt FILE -o OUT}: opens ours and gpg's files; writes OUT only if the integrity check passes. */
@Command(
        name = "decrypt",
        mixinStandardHelpOptions = true,
        description = "Decrypts FILE (OpenPGP, binary or armored, from DataCoop, gpg, Vana or LazAI) to OUT.")
final class DecryptCommand extends FileCryptCommand {
    @Override
    void apply(PasswordEncryption pgp, Path input, Path output, char[] password) {
        pgp.decryptFile(input, output, password);
    }

    @Override
    String done() {
        return "decrypted";
    }
}
