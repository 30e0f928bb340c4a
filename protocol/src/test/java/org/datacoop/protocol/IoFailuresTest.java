package org.datacoop.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class IoFailuresTest {
    @Test
    void theHttpClientsMessagelessRefusalIsConnectionRefused() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Throwable refused = catchThrowable(() -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/")).build(),
                HttpResponse.BodyHandlers.discarding()));
        assertThat(refused).isInstanceOf(IOException.class);
        assertThat(IoFailures.describe(refused)).isEqualTo("connection refused");
    }

    @Test
    void aMessageAnywhereInTheCausesIsKept() {
        assertThat(IoFailures.describe(new IOException(new IOException("disk full")))).isEqualTo("disk full");
        assertThat(IoFailures.describe(new IOException())).isEqualTo("IOException");
    }
}
