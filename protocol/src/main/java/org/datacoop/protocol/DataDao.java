package org.datacoop.protocol;

import java.math.BigInteger;

/**
 * A DataDAO as the chain records it.
 *
 * @param id its number in the DataLiquidityPoolRegistry, from 1
 * @param pool its DataLiquidityPool contract
 * @param token its ERC-20 reward token
 * @param rewardPerFile tokens (smallest unit) paid for a file scored 1
 * @param programDigest SHA-256 of the proof-of-contribution program, {@code 0x}-hex
 * @param programUrl where the program is published
 * @param rewardsLeft the token balance the pool still holds for rewards
 */
public record DataDao(
        long id,
        String name,
        Address pool,
        Address owner,
        Address token,
        String tokenSymbol,
        BigInteger rewardPerFile,
        String programDigest,
        String programUrl,
        BigInteger rewardsLeft) {}
