package org.datacoop.sdk.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BiFunction;
import org.datacoop.chain.ChainException;
import org.datacoop.protocol.IoFailures;

/** JSON over HTTP to a validator's node: its answer, or its refusal in its own words with the status. */
public final class NodeHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(2);

    private NodeHttp() {}

    /**
     * POSTs {@code body} to {@code url}; an answer other than 200 becomes {@code refused} of its status and
     * its {@code error}; a node that does not answer fails as a {@link ChainException} naming {@code what}.
     */
    public static JsonNode post(String url, JsonNode body, String what,
            BiFunction<Integer, String, ? extends RuntimeException> refused) {
        HttpResponse<String> response;
        try {
            response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(ANSWER_TIMEOUT)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ChainException(what + " at " + url + " did not answer: " + IoFailures.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainException("interrupted while waiting for " + url, e);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            throw refused.apply(response.statusCode(), what + " answered HTTP " + response.statusCode() + " with no JSON");
        }
        if (response.statusCode() != 200) {
            throw refused.apply(response.statusCode(), answer.path("error").asText("HTTP " + response.statusCode()));
        }
        return answer;
    }
}
