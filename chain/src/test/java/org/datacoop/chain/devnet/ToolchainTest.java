package org.datacoop.chain.devnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.datacoop.chain.ChainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolchainTest {
    @Test
    void findsTheInstalledTools() {
        Toolchain tools = Toolchain.discover();
        assertThat(tools.tool("anvil")).isExecutable();
        assertThat(tools.tool("forge")).isExecutable();
        assertThat(tools.tool("cast")).isExecutable();
    }

    @Test
    void namesAMissingToolAndTheFix(@TempDir Path emptyCheckout) {
        assertThatThrownBy(() -> Toolchain.at(emptyCheckout).tool("anvil"))
                .isInstanceOf(ChainException.class)
                .hasMessageStartingWith("anvil is not installed at " + emptyCheckout.resolve("node_modules/.bin/anvil"))
                .hasMessageContaining("npm ci");
    }
}
