package org.datacoop.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.datacoop.chain.Deployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebAppTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private WebApp web;

    @BeforeEach
    void serve() {
        web = WebApp.bind("127.0.0.1", 0);
        web.serve(new Deployment(31337, "http://127.0.0.1:8545", true, "0x00000000000000000000000000000000000000d0", 1, 7,
                Map.of("TeePool", "0x00000000000000000000000000000000000000e0"),
                Map.of("storage-url", "http://127.0.0.1:8546")));
    }

    @AfterEach
    void stop() {
        web.close();
    }

    @Test
    void servesThePageItsBundleAndTheDeploymentUnderAPolicyThatKeepsItOnLoopback() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"/app.js\">");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                .contains("default-src 'self'", "connect-src 'self' http://127.0.0.1:*"));
        HttpResponse<String> bundle = get("/app.js");
        assertThat(bundle.statusCode()).as("esbuild's bundle is on the class path").isEqualTo(200);
        assertThat(bundle.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(bundle.body()).doesNotContain("https://cdn", "unpkg.com", "jsdelivr");
        JsonNode deployment = new ObjectMapper().readTree(get("/deployment.json").body());
        assertThat(deployment.path("chainId").asLong()).isEqualTo(31337);
        assertThat(deployment.path("services").path("storage-url").asText()).isEqualTo("http://127.0.0.1:8546");
        assertThat(deployment.path("contracts").path("TeePool").asText()).isEqualTo("0x00000000000000000000000000000000000000e0");
    }

    @Test
    void refusesOtherPathsAndMethodsNamingWhatIsWrong() throws Exception {
        HttpResponse<String> missing = get("/WebApp.class");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"error\":\"no such page: /WebApp.class (the app is at /)\"}");
        assertThat(get("/org/datacoop/web/app/app.js").statusCode()).as("only the app's own names").isEqualTo(404);
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(web.url() + "/deployment.json"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(405);
        assertThat(posted.body()).contains("POST /deployment.json is not supported");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(web.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
