package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentTest {
    @TempDir
    Path dir;

    private static Deployment sample() {
        Map<String, String> contracts = new LinkedHashMap<>();
        contracts.put(Deployment.DATA_REGISTRY, "0x5fbdb2315678afecb367f032d93f642f64180aa3");
        contracts.put(Deployment.TEE_POOL, "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0");
        return new Deployment(31337, "http://127.0.0.1:8545", true, "0xf39f", 1, 42, contracts, Map.of("storage-url", "http://127.0.0.1:4000"));
    }

    @Test
    void survivesAWriteAndAReadInOrder() {
        sample().writeTo(dir);
        Deployment read = Deployment.readFrom(dir);
        assertThat(read).isEqualTo(sample());
        assertThat(read.contracts().keySet()).containsExactly(Deployment.DATA_REGISTRY, Deployment.TEE_POOL);
        assertThat(dir.resolve("deployment.json.partial")).doesNotExist();
    }

    @Test
    void keepsItsContractsWhenTheEndpointChanges() {
        Deployment moved = sample().withRpcUrl("http://127.0.0.1:9999");
        assertThat(moved.rpcUrl()).isEqualTo("http://127.0.0.1:9999");
        assertThat(moved.contracts()).isEqualTo(sample().contracts());
    }

    @Test
    void namesAContractItDoesNotHave() {
        assertThatThrownBy(() -> sample().address("QueryEngine"))
                .isInstanceOf(ChainException.class)
                .hasMessage("the deployment has no contract named QueryEngine");
    }

    @Test
    void keepsTheComputeContractsAndNamesThemWhenADeploymentPredatesThem() {
        Map<String, String> contracts = new LinkedHashMap<>(sample().contracts());
        contracts.put(Deployment.EXECUTION_RECORD, "0x0000000000000000000000000000000000000e01");
        contracts.put(Deployment.SETTLEMENT, "0x0000000000000000000000000000000000000e02");
        contracts.put(Deployment.TASK_COORDINATOR, "0x0000000000000000000000000000000000000e03");
        contracts.put(Deployment.VERIFIER, "0x0000000000000000000000000000000000000e04");
        new Deployment(31337, "http://127.0.0.1:8545", true, "0xf39f", 1, 42, contracts, Map.of()).writeTo(dir);
        Deployment read = Deployment.readFrom(dir);
        assertThat(read.contracts().keySet()).containsExactly(Deployment.DATA_REGISTRY, Deployment.TEE_POOL,
                "ExecutionRecord", "Settlement", "TaskCoordinator", "Verifier");
        assertThat(read.address(Deployment.VERIFIER).value()).isEqualTo("0x0000000000000000000000000000000000000e04");
        assertThatThrownBy(() -> sample().address(Deployment.TASK_COORDINATOR))
                .isInstanceOf(ChainException.class)
                .hasMessage("the deployment has no contract named TaskCoordinator");
    }

    @Test
    void saysHowToGetAMissingDeployment() {
        assertThat(Deployment.existsIn(dir)).isFalse();
        assertThatThrownBy(() -> Deployment.readFrom(dir))
                .isInstanceOf(ChainException.class)
                .hasMessageContaining("no deployment at " + dir.resolve("deployment.json"))
                .hasMessageContaining("run `coop up` first");
    }

    @Test
    void namesAMalformedFile() throws Exception {
        Files.writeString(dir.resolve("deployment.json"), "{\"chainId\": \"not a number\"");
        assertThatThrownBy(() -> Deployment.readFrom(dir))
                .isInstanceOf(ChainException.class)
                .hasMessageStartingWith(dir.resolve("deployment.json") + " is not a valid deployment file");
    }

    @Test
    void readsAFileWrittenBeforeTheDeploymentBlockWasRecordedAsStartingAtBlockZero() throws Exception {
        Files.writeString(dir.resolve("deployment.json"), """
                {"chainId": 31337, "rpcUrl": "http://127.0.0.1:8545", "devnet": true, "deployer": "0xf39f",
                 "sampleDlpId": 1, "contracts": {"DataRegistry": "0x5fbdb2315678afecb367f032d93f642f64180aa3"}}
                """);
        Deployment old = Deployment.readFrom(dir);
        assertThat(old.deploymentBlock()).isZero();
        assertThat(old.address(Deployment.DATA_REGISTRY).value()).isEqualTo("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    }

    @Test
    void refusesANegativeDeploymentBlockNamingIt() throws Exception {
        Files.writeString(dir.resolve("deployment.json"), sample().toJson().replace("\"deploymentBlock\" : 42", "\"deploymentBlock\" : -1"));
        assertThatThrownBy(() -> Deployment.readFrom(dir))
                .isInstanceOf(ChainException.class)
                .hasMessageStartingWith(dir.resolve("deployment.json") + " is not a valid deployment file")
                .hasMessageContaining("the deployment block cannot be negative (-1)");
    }
}
