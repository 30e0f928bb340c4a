package org.datacoop.cli;

import java.nio.file.Path;
import org.datacoop.protocol.crypto.PasswordEncryption;
import picocli.CommandLine.Command;

/** {@code coop encrypt FILE -o OUT}: OpenPGP, with the wallet-derived password; gpg opens the result. */
@Command(
        name = "encrypt",
        mixinStandardHelpOptions = true,
        description = "Encrypts FILE to OUT (OpenPGP, AES-256, integrity-protected) with the wallet-derived password.")
final class EncryptCommand extends FileCryptCommand {
    @Override
    void apply(PasswordEncryption pgp, Path input, Path output, char[] password) {
        pgp.encryptFile(input, output, password);
    }

    @Override
    String done() {
        return "encrypted";
    }
}
