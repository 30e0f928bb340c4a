package org.datacoop.protocol.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** GnuPG, the interoperability peer, run in a throwaway home with the password on a pipe. */
final class Gpg {
    private final Path home;

    Gpg(Path home) throws IOException {
        this.home = Files.createDirectories(home);
        home.toFile().setReadable(true, true);
    }

    void encrypt(Path in, Path out, String password, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("--symmetric", "--cipher-algo", "AES256", "-o", out.toString()));
        args.addAll(List.of(options));
        args.add(in.toString());
        run(password, args);
    }

    void decrypt(Path in, Path out, String password) throws Exception {
        run(password, List.of("-o", out.toString(), "-d", in.toString()));
    }

    private void run(String password, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "gpg", "--homedir", home.toString(), "--batch", "--yes", "--quiet",
                "--pinentry-mode", "loopback", "--passphrase-fd", "0"));
        command.addAll(args);
        Process gpg = new ProcessBuilder(command).redirectErrorStream(true).start();
        gpg.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
        gpg.getOutputStream().close();
        String output = new String(gpg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gpg.waitFor(60, TimeUnit.SECONDS) || gpg.exitValue() != 0) {
            throw new AssertionError("gpg " + args + " failed: " + output);
        }
    }
}
