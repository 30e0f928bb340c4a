pragma circom 2.1.0;

include "aggregate.circom";

component main {public [commitment, threshold]} = CommittedAggregate(32, 32);
