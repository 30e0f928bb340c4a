package org.datacoop.cli;

import java.nio.file.Path;
import org.datacoop.protocol.crypto.PasswordEncryption;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code coop encrypt FILE -o OUT}: OpenPGP, with the wallet-derived password; gpg opens the result. */
@Command(
        name = "encrypt",
        mixinStandardHelpOptions = true,
        description = "Encrypts FILE to OUT (OpenPGP, AES-256, integrity-protected) with the wallet-derived password.")
final class EncryptCommand extends FileCryptCommand {
    @Option(names = "--format", paramLabel = "v4|v6", defaultValue = "v4", converter = FormatName.class,
            description = "v4 (default): RFC 4880, what gpg 2.2, Vana's openpgp.js and Sequoia open; v6: RFC 9580,"
                    + " AES-GCM, faster, but gpg 2.2 cannot open it. coop decrypt opens both.")
    private PasswordEncryption.Format format;

    @Override
    void apply(PasswordEncryption pgp, Path input, Path output, char[] password) {
        pgp.encryptFile(input, output, password, format);
    }

    @Override
    String done() {
        return "encrypted";
    }

    /** {@code v4} or {@code v6}, in either case. */
    static final class FormatName implements ITypeConverter<PasswordEncryption.Format> {
        @Override
        public PasswordEncryption.Format convert(String name) {
            try {
                return PasswordEncryption.Format.named(name);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
