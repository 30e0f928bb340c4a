pragma circom 2.1.0;

include "aggregate.circom";

// CommittedClaim(N): a dataset claim about up to N committed rows of one numeric column, "at least minRows
// rows have a value >= threshold", proved without showing anything else: not the count, not any sum.
//
// Public signals, in snarkjs's order (no outputs): [0] commitment, [1] threshold (negative as the field's
// p - |k|), [2] minRows. Private: as CommittedAggregate (the values, the validity mask, the salt), whose
// checks of the mask and the commitment apply here unchanged. "At least minRows rows" alone is the claim
// with threshold -2^(BITS-1), which every value meets.
template CommittedClaim(N, BITS) {
    signal input values[N];
    signal input valid[N];
    signal input salt;
    signal input commitment;
    signal input threshold;
    signal input minRows;

    component rows = CommittedAggregate(N, BITS);
    rows.values <== values;
    rows.valid <== valid;
    rows.salt <== salt;
    rows.commitment <== commitment;
    rows.threshold <== threshold;

    // Both sides are below 2^16: the count by construction (N is far smaller), minRows by this check.
    component minRange = Num2Bits(16);
    minRange.in <== minRows;
    component enough = GreaterEqThan(16);
    enough.in[0] <== rows.countAtLeast;
    enough.in[1] <== minRows;
    enough.out === 1;
}
