package org.datacoop.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import org.datacoop.chain.ChainConnection;
import org.datacoop.chain.ChainException;
import org.datacoop.chain.DataCoopChain;
import org.datacoop.chain.Deployer;
import org.datacoop.chain.OwnershipChain;
import org.datacoop.chain.OwnershipChain.Scope;
import org.datacoop.chain.Wallet;
import org.datacoop.protocol.Address;
import org.datacoop.protocol.Hex;
import org.datacoop.protocol.Sha256;
import org.datacoop.protocol.ValidationJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ownership registry on a real devnet: Alice's contributed file, once the validator proved it valid,
 * is bound by the validator's enclave to her under a keyed hash; she transfers it to Bob with
 * {@code coop own transfer}; Bob licenses Carol (active), revokes it (inactive), appoints Dan a
 * delegate who licenses too and, once dismissed, cannot; strangers are refused by name. The tests run
 * in order: each takes the data where the one before left it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OwnershipTest {
    @TempDir
    static Path dir;

    private static Devnet net;
    private static CoopCli cli;
    private static OwnershipChain ownership;
    private static Wallet alice;
    private static Wallet bob;
    private static Wallet carol;
    private static Wallet dan;
    private static Wallet mallory;
    private static long aliceFile;
    private static String dataHash;

    @BeforeAll
    static void startNetworkAndContribute() throws Exception {
        net = Devnet.start(dir, settings -> settings);
        cli = CoopCli.on(net, dir);
        ownership = net.chain.ownership();
        alice = net.fundedWallet();
        bob = net.fundedWallet();
        carol = net.fundedWallet();
        dan = net.fundedWallet();
        mallory = net.fundedWallet();
        aliceFile = net.contributeSteps(alice, dir, 30, 0);
        dataHash = net.awaitBound(aliceFile);
    }

    @AfterAll
    static void stopNetwork() {
        if (net != null) {
            net.close();
        }
    }

    @Test
    @Order(1)
    void theValidatorBindsAValidatedFileToItsContributorUnderAKeyedHash() throws Exception {
        OwnershipChain.Binding binding = ownership.binding(dataHash).orElseThrow();
        assertThat(binding.owner()).isEqualTo(alice.address());
        assertThat(binding.fileId()).isEqualTo(aliceFile);
        assertThat(binding.validator()).isEqualTo(net.validator.address());
        byte[] plaintext = Files.readAllBytes(dir.resolve(alice.address().value() + ".json"));
        assertThat(dataHash).as("not a plain hash anyone could compute from a guess")
                .isNotEqualTo(Hex.prefixed(Sha256.of(plaintext)));

        JsonNode shown = cli.ok(carol, "own", "show", "--file", Long.toString(aliceFile), "--json");
        assertThat(shown.path("dataHash").asText()).isEqualTo(dataHash);
        assertThat(shown.path("owner").asText()).isEqualTo(alice.address().value());
        assertThat(shown.path("validator").asText()).isEqualTo(net.validator.address().value());
        assertThat(shown.path("licenses")).isEmpty();
        assertThat(shown.path("delegates")).isEmpty();
    }

    @Test
    @Order(2)
    void strangersAndBadInputAreRefusedByNameAndNothingIsSent() throws Exception {
        String file = Long.toString(aliceFile);
        cli.refusedWithNothingSent(mallory, mallory.address().value() + " is neither the owner of file " + file
                + "'s data (" + alice.address().value() + " is)", "own", "transfer", "--file", file, "--to",
                mallory.address().value());
        cli.refusedWithNothingSent(alice, "--to is not an address", "own", "transfer", "--file", file, "--to", "bob");
        cli.refusedWithNothingSent(alice, "there is no file 9999", "own", "show", "--file", "9999");
        cli.refusedWithNothingSent(alice, "there is no file 9999", "own", "transfer", "--file", "9999", "--to",
                bob.address().value());
        cli.refusedWithNothingSent(alice, "unknown scope 'resale'", "own", "license", "--file", file, "--grantee",
                carol.address().value(), "--scope", "query,resale", "--terms-url", "https://terms.example/1");
        cli.refusedWithNothingSent(alice, "there is no license 42", "own", "revoke", "42");
        long unproved = net.registerShared(net.chain, "not validated".getBytes(StandardCharsets.UTF_8),
                net.validator.address());
        cli.refusedWithNothingSent(alice, "file " + unproved + "'s data is bound to no owner yet", "own", "show",
                "--file", Long.toString(unproved));
        cli.refusedWithNothingSent(mallory, "is not the owner of file " + file + "'s data", "own", "delegate", "--file",
                file, "--operator", mallory.address().value());
        // Past the client's checks, the registry itself refuses, by its error's name.
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), mallory)) {
            OwnershipChain asMallory = new DataCoopChain(connection, net.deployment).ownership();
            assertThatThrownBy(() -> asMallory.transfer(dataHash, mallory.address()))
                    .isInstanceOf(ChainException.class)
                    .hasMessageContaining("OwnershipNotOwnerOrDelegate(" + dataHash + ", " + mallory.address().value());
        }
        assertThat(ownership.binding(dataHash).orElseThrow().owner()).isEqualTo(alice.address());
    }

    @Test
    @Order(3)
    void theOwnerTransfersItAndTheNewOwnerLicensesAndRevokes() throws Exception {
        String file = Long.toString(aliceFile);
        JsonNode transferred = cli.ok(alice, "own", "transfer", "--file", file, "--to", bob.address().value(), "--json");
        assertThat(transferred.path("txHash").asText()).startsWith("0x");
        assertThat(cli.ok(carol, "own", "show", "--file", file, "--json").path("owner").asText())
                .isEqualTo(bob.address().value());
        cli.refusedWithNothingSent(alice, "is neither the owner", "own", "transfer", "--file", file, "--to",
                alice.address().value());

        String expires = Instant.now().plusSeconds(86_400).toString();
        JsonNode licensed = cli.ok(bob, "own", "license", "--file", file, "--grantee", carol.address().value(), "--scope",
                "query,compute", "--terms-url", "https://terms.example/1", "--expires", expires, "--json");
        long licenseId = licensed.path("licenseId").asLong();
        assertThat(licenseId).isPositive();
        JsonNode license = cli.ok(carol, "own", "show", "--file", file, "--json").path("licenses").get(0);
        assertThat(license.path("licenseId").asLong()).isEqualTo(licenseId);
        assertThat(license.path("grantee").asText()).isEqualTo(carol.address().value());
        assertThat(license.path("active").asBoolean()).isTrue();
        assertThat(license.path("scope")).extracting(JsonNode::asText).containsExactly("query", "compute");
        assertThat(license.path("price").asText()).as("free: it grants from its grant (LicensedQueryTest pays one)")
                .isEqualTo("0");
        assertThat(license.path("grantedBy").asText()).isEqualTo(bob.address().value());
        assertThat(ownership.hasActiveLicense(dataHash, carol.address(), EnumSet.of(Scope.QUERY))).isTrue();
        assertThat(ownership.hasActiveLicense(dataHash, carol.address(), EnumSet.of(Scope.TRAINING))).isFalse();

        cli.refusedWithNothingSent(carol, "is neither the owner", "own", "revoke", Long.toString(licenseId));
        cli.ok(bob, "own", "revoke", Long.toString(licenseId), "--json");
        license = cli.ok(carol, "own", "show", "--file", file, "--json").path("licenses").get(0);
        assertThat(license.path("active").asBoolean()).isFalse();
        assertThat(license.path("revoked").asBoolean()).isTrue();
        assertThat(ownership.hasActiveLicense(dataHash, carol.address(), EnumSet.of(Scope.QUERY))).isFalse();
        cli.refusedWithNothingSent(bob, "license " + licenseId + " is already revoked", "own", "revoke",
                Long.toString(licenseId));
    }

    @Test
    @Order(4)
    void aDelegateLicensesUntilTheOwnerDismissesIt() throws Exception {
        String file = Long.toString(aliceFile);
        cli.ok(bob, "own", "delegate", "--file", file, "--operator", dan.address().value(), "--json");
        assertThat(cli.ok(carol, "own", "show", "--file", file, "--json").path("delegates"))
                .extracting(JsonNode::asText).containsExactly(dan.address().value());
        cli.refusedWithNothingSent(dan, "is not the owner", "own", "delegate", "--file", file, "--operator",
                mallory.address().value());

        long byDan = cli.ok(dan, "own", "license", "--file", file, "--grantee", carol.address().value(), "--scope",
                "training", "--terms-url", "https://terms.example/2", "--json").path("licenseId").asLong();
        assertThat(ownership.license(byDan).orElseThrow().grantedBy()).isEqualTo(dan.address());
        assertThat(ownership.hasActiveLicense(dataHash, carol.address(), EnumSet.of(Scope.TRAINING))).isTrue();

        cli.ok(bob, "own", "undelegate", "--file", file, "--operator", dan.address().value(), "--json");
        assertThat(cli.ok(carol, "own", "show", "--file", file, "--json").path("delegates")).isEmpty();
        cli.refusedWithNothingSent(dan, dan.address().value() + " is neither the owner", "own", "license", "--file",
                file, "--grantee", carol.address().value(), "--scope", "query", "--terms-url", "https://terms.example/3");
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), dan)) {
            OwnershipChain asDan = new DataCoopChain(connection, net.deployment).ownership();
            assertThatThrownBy(() -> asDan.revokeLicense(byDan))
                    .isInstanceOf(ChainException.class)
                    .hasMessageContaining("OwnershipNotOwnerOrDelegate(" + dataHash + ", " + dan.address().value());
        }
        assertThat(ownership.license(byDan).orElseThrow().active()).as("still granting: only bob can revoke it now").isTrue();
    }

    @Test
    @Order(5)
    void aBindingTheRegistryRefusesLosesNeitherTheProofNorTheJob() throws Exception {
        // A second DataDAO validating the same file: its enclave secret gives another hash, and the
        // registry binds a file once, so it refuses; the job still completes with its proof.
        long secondDao = net.dataDaoWithProgram(Deployer.sampleProgram());
        long jobId;
        try (ChainConnection connection = ChainConnection.open(net.anvil.rpcUrl(), alice)) {
            jobId = new DataCoopChain(connection, net.deployment)
                    .requestContributionProof(aliceFile, secondDao, net.chain.teeFee()).jobId();
        }
        ValidationJob job = net.awaitEnd(jobId);
        assertThat(job.status()).isEqualTo(ValidationJob.Status.COMPLETED);
        assertThat(net.chain.proofsOf(aliceFile)).hasSize(2);
        assertThat(ownership.hashOfFile(aliceFile)).contains(dataHash);
        assertThat(ownership.binding(dataHash).orElseThrow().owner()).isEqualTo(bob.address());
    }
}
