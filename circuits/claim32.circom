pragma circom 2.1.0;

include "claim.circom";

component main {public [commitment, threshold, minRows]} = CommittedClaim(32, 32);
