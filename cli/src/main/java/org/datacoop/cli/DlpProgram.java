package org.datacoop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.datacoop.chain.Deployment;
import org.datacoop.node.program.DeclarativeProgram;
import org.datacoop.node.program.ProgramException;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.Sha256;
import org.datacoop.storage.HttpBlobStore;

/**
 * A DataDAO's proof-of-contribution program as {@code dlp create} and {@code dlp update} pin it: read
 * and checked before anything is sent, then published (uploaded to the deployment's storage unless
 * it is already published at a url) with the SHA-256 that goes on-chain.
 *
 * @param digest the SHA-256 of the program's bytes
 * @param url where validators fetch it
 */
record DlpProgram(byte[] digest, String url) {
    /** The program's bytes; a JSON program must be a valid declarative definition, refused here rather than by every validator later. */
    static byte[] read(Path program) throws IOException {
        if (!Files.isRegularFile(program)) {
            throw new IllegalArgumentException("no program file at " + program);
        }
        byte[] bytes = Files.readAllBytes(program);
        if (bytes.length > 0 && bytes[0] == '{') {
            try {
                JsonNode definition = Json.MAPPER.readTree(bytes);
                DeclarativeProgram.fromDefinition(definition, (dlp, hash, file) -> file);
            } catch (IOException e) {
                throw new IllegalArgumentException("the program is not valid JSON: " + e.getMessage());
            } catch (ProgramException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
        return bytes;
    }

    /** Publishes {@code bytes}: at {@code givenUrl} when not null (the caller published them there), else in storage. */
    static DlpProgram publish(byte[] bytes, String givenUrl, Deployment deployment) {
        String url = givenUrl;
        if (url == null) {
            HttpBlobStore storage = new HttpBlobStore(deployment.service(Deployment.STORAGE_URL));
            url = storage.urlOf(storage.put(new ByteArrayInputStream(bytes)));
        }
        return new DlpProgram(Sha256.of(bytes), url);
    }

    String digestHex() {
        return Hex.prefixed(digest);
    }
}
