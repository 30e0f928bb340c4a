package org.datacoop.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;

class RevertsTest {
    @Test
    void aContractsCustomErrorIsNamedWithItsArguments() {
        String data = FunctionEncoder.encode(new Function("TaskCoordinatorRefundTooEarly",
                List.of(new Bytes32(new byte[32]), new Uint64(1_764_800_000L)), List.of()));
        assertThat(Reverts.decode(data)).isEqualTo("TaskCoordinatorRefundTooEarly(0x" + "00".repeat(32) + ", 1764800000)");
    }

    @Test
    void theDisputeGamesErrorsAreNamedToo() {
        String data = FunctionEncoder.encode(new Function("DisputeGameWindowOpen",
                List.of(new Bytes32(new byte[32]), new Uint64(66)), List.of()));
        assertThat(Reverts.decode(data)).isEqualTo("DisputeGameWindowOpen(0x" + "00".repeat(32) + ", 66)");
    }

    @Test
    void aRequireReasonAndAPanicAreToldAndUnknownDataIsShownAsIs() {
        assertThat(Reverts.decode(FunctionEncoder.encode(new Function("Error", List.of(new Utf8String("no")), List.of()))))
                .isEqualTo("no");
        assertThat(Reverts.decode(FunctionEncoder.encode(new Function("Panic", List.of(new Uint256(0x11)), List.of()))))
                .startsWith("panic 0x11");
        assertThat(Reverts.decode("0xdeadbeef")).isEqualTo("custom error 0xdeadbeef");
    }
}
