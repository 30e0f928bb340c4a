package org.datacoop.sdk.contribute;

import java.math.BigInteger;
import java.util.Optional;
import org.datacoop.protocol.FileProof;
import org.datacoop.protocol.ValidationJob;

/**
 * How a contribution ended: its job, the proof if one was recorded, and the reward if one was paid,
 * or in words why not.
 *
 * @param rewardTx the transaction that paid the reward, when this call paid it
 * @param why why no reward was paid; empty when one was
 */
public record Outcome(
        ValidationJob job,
        Optional<FileProof> proof,
        BigInteger reward,
        String tokenSymbol,
        Optional<String> rewardTx,
        Optional<String> why) {
    public boolean rewarded() {
        return reward.signum() > 0;
    }
}
