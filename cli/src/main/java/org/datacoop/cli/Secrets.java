package org.datacoop.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The one place a command reads a secret it is given, a private key or a password, so that every
 * command takes them alike: from a file (the option ending in {@code -file}), from an environment
 * variable, or, discouraged with a warning, as the option's value itself, where other users see it
 * in the process list and it stays in the shell's history. No message here ever holds the secret.
 */
final class Secrets {
    /** Each secret the command line takes, and where it may come from. */
    enum Secret {
        PRIVATE_KEY("key", "--private-key", "--private-key-file", "COOP_PRIVATE_KEY"),
        MAINTAINER_KEY("key", "--maintainer-key", "--maintainer-key-file", "COOP_MAINTAINER_KEY"),
        FILE_PASSWORD("password", "--password", "--password-file", "COOP_FILE_PASSWORD"),
        // The wallet's password never had an option of its own, and gets none.
        WALLET_PASSWORD("password", null, "--wallet-password-file", "COOP_WALLET_PASSWORD");

        private final String what;
        private final String option;
        private final String fileOption;
        private final String variable;

        Secret(String what, String option, String fileOption, String variable) {
            this.what = what;
            this.option = option;
            this.fileOption = fileOption;
            this.variable = variable;
        }

        private boolean isKey() {
            return what.equals("key");
        }
    }

    private static final Pattern HEX_KEY = Pattern.compile("(?:0[xX])?([0-9a-fA-F]{64})");

    // A key or password is a line; anything larger is the wrong file, better refused than read whole.
    private static final long LARGEST_FILE = 64 * 1024;

    private static final Set<PosixFilePermission> SHARED = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

    private final CommandSpec spec;

    private Secrets(CommandSpec spec) {
        this.spec = spec;
    }

    /** The secrets of the command {@code spec} runs, which also says where warnings go. */
    static Secrets of(CommandSpec spec) {
        return new Secrets(spec);
    }

    /**
     * The secret from its option's value (with a warning), else from the file, else from its
     * environment variable; empty when none is given. A key comes back as {@code 0x} and 64 hex digits.
     *
     * @param value the option's value, or null
     * @param file the file option's value, or null
     * @throws IllegalArgumentException when both options are given, the file cannot be read, or a
     *     key is not one, naming the option, file or variable but never the secret
     */
    Optional<String> find(Secret secret, String value, Path file) {
        if (value != null && file != null) {
            throw new IllegalArgumentException("pass " + secret.option + " or " + secret.fileOption + ", not both");
        }
        if (value != null) {
            warn(secret.option + " puts the " + secret.what + " on the command line, where other users can read it"
                    + " (ps, shell history); use " + secret.fileOption + " or $" + secret.variable);
            return Optional.of(checked(secret, value, secret.option));
        }
        if (file != null) {
            String named = "the " + secret.what + " file " + file;
            return Optional.of(checked(secret, read(named, secret.what, file).strip(), named));
        }
        return Coop.variable(spec, secret.variable).map(set -> checked(secret, set, "$" + secret.variable));
    }

    /**
     * A program secret's value from {@code file} (for {@code --secret NAME=@FILE}), less one trailing
     * newline as {@code echo} and editors leave; other whitespace may be part of it.
     */
    String programSecret(String name, Path file) {
        return read("--secret " + name + ": the file " + file, "secret", file).replaceFirst("\\r?\\n\\z", "");
    }

    private String read(String named, String what, Path file) {
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException(named + " is a directory");
            }
            if (Files.size(file) > LARGEST_FILE) {
                throw new IllegalArgumentException(named + " is too large to hold a " + what);
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(named + " does not exist");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(named + " cannot be read: permission denied");
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(named + " is not text");
        } catch (IOException e) {
            throw new IllegalArgumentException(named + " cannot be read: " + e.getMessage());
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException(named + " is empty");
        }
        warnIfShared(named, file);
        return text;
    }

    private void warnIfShared(String named, Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return; // no POSIX permissions here (or no longer a file): nothing to warn about
        }
        if (permissions.stream().anyMatch(SHARED::contains)) {
            warn(named + " is readable by other users (" + PosixFilePermissions.toString(permissions)
                    + "); chmod 600 " + file);
        }
    }

    /** A key as {@code 0x} and 64 lower-case hex digits; a password as given, whitespace and all. */
    private static String checked(Secret secret, String text, String source) {
        if (!secret.isKey()) {
            return text;
        }
        var key = HEX_KEY.matcher(text.strip());
        if (!key.matches()) {
            throw new IllegalArgumentException(source + " does not hold a private key (64 hex digits, with or without 0x)");
        }
        return "0x" + key.group(1).toLowerCase(Locale.ROOT);
    }

    private void warn(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("coop: warning: " + message);
        err.flush();
    }
}
