package org.datacoop.storage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.datacoop.protocol.storage.StorageException;
import org.junit.jupiter.api.Test;

/** A gateway that does not answer is named, with why: once this said "uploading to URL failed: null". */
class HttpBlobStoreUnreachableTest {
    @Test
    void anUploadToAGatewayThatIsDownNamesItAndWhy() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        assertThatThrownBy(() -> new HttpBlobStore(url).put(new ByteArrayInputStream(new byte[] {1})))
                .isInstanceOf(StorageException.class)
                .hasMessage("the storage gateway at " + url + " is unreachable: connection refused")
                .matches(e -> ((StorageException) e).reason() == StorageException.Reason.UNAVAILABLE);
    }
}
