package org.datacoop.storage.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class JsonHttpServerTest {
    @Test
    void aHandlerThatThrowsIsAJson500NotAnEmptyReply() throws Exception {
        try (JsonHttpServer server = JsonHttpServer.bind("127.0.0.1", 0)) {
            server.serve(exchange -> {
                throw new IllegalStateException("a bug");
            });
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/anything")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(response.body()).isEqualTo("{\"error\":\"GET /anything failed: IllegalStateException\"}");
        }
    }
}
