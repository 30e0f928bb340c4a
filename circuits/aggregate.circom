pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/bitify.circom";

// CommittedAggregate(N): the decomposable aggregates of up to N committed rows of one numeric column,
// as SQL computes them: count(*), sum(v), and count and sum of the rows WHERE v >= threshold.
//
// Public signals, in snarkjs's order (outputs first, then public inputs):
//   [0] count         rows in the commitment (n, at most N)
//   [1] sum           sum of their values (a field element: negative sums are p - |sum|)
//   [2] countAtLeast  rows with value >= threshold
//   [3] sumAtLeast    sum of those rows' values (negative as [1])
//   [4] commitment    the column's commitment, as the enclave registered it (see below)
//   [5] threshold     the public threshold k (negative as [1])
// Private: the N values (rows past n are padding, 0), the validity mask (1 for the first n rows, 0 after)
// and the commitment's salt.
//
// Values are fixed-point integers: a column at scale s holds round(x * 10^s); the circuit needs no scale,
// since sums and comparisons of integers at one scale are exact, and the caller states it. Each value and
// the threshold must lie in [-2^(BITS-1), 2^(BITS-1)). The threshold is range-checked; a value needs no
// check of its own, since the comparator decomposes value - threshold + 2^BITS into BITS + 1 bits, which
// no proof can do unless the value is an integer within 2^BITS of the threshold: the comparison is then
// exact, and sums of up to 2^20 such rows cannot wrap the field.
//
// The commitment, independent of N: h = salt; for each chunk of 15 of the n values (the last padded
// with zeros), h = Poseidon(h, chunk[0..14]); commitment = Poseidon(h, n). Sixteen inputs is the widest
// Poseidon circomlib has, so chunks of 15 plus the chained hash.
template CommittedAggregate(N, BITS) {
    var CHUNK = 15;
    var CHUNKS = (N + CHUNK - 1) \ CHUNK;
    var OFFSET = 1 << (BITS - 1);

    signal input values[N];
    signal input valid[N];
    signal input salt;
    signal input commitment;
    signal input threshold;
    signal output count;
    signal output sum;
    signal output countAtLeast;
    signal output sumAtLeast;

    // The mask is 0/1, a prefix (no valid row after padding), and padding rows are 0.
    for (var i = 0; i < N; i++) {
        valid[i] * (valid[i] - 1) === 0;
        values[i] * (1 - valid[i]) === 0;
        if (i > 0) {
            valid[i] * (1 - valid[i - 1]) === 0;
        }
    }

    component thresholdRange = Num2Bits(BITS);
    thresholdRange.in <== threshold + OFFSET;

    component atLeast[N];
    signal counted[N];
    signal summed[N];
    var n = 0;
    var total = 0;
    var countAbove = 0;
    var sumAbove = 0;
    for (var i = 0; i < N; i++) {
        atLeast[i] = GreaterEqThan(BITS);
        atLeast[i].in[0] <== values[i] + OFFSET;
        atLeast[i].in[1] <== threshold + OFFSET;
        counted[i] <== atLeast[i].out * valid[i];
        summed[i] <== atLeast[i].out * values[i];
        n += valid[i];
        total += values[i];
        countAbove += counted[i];
        sumAbove += summed[i];
    }
    count <== n;
    sum <== total;
    countAtLeast <== countAbove;
    sumAtLeast <== sumAbove;

    // The chained hash over the chunks; the one to open is the last chunk holding a valid row
    // (a chunk is in use when its first row is valid), or the salt itself when n is 0.
    component chunk[CHUNKS];
    signal chained[CHUNKS + 1];
    signal lastOf[CHUNKS];
    chained[0] <== salt;
    var opened = salt * (1 - valid[0]);
    for (var c = 0; c < CHUNKS; c++) {
        chunk[c] = Poseidon(CHUNK + 1);
        chunk[c].inputs[0] <== chained[c];
        for (var j = 0; j < CHUNK; j++) {
            var row = c * CHUNK + j;
            chunk[c].inputs[j + 1] <== row < N ? values[row] : 0;
        }
        chained[c + 1] <== chunk[c].out;
        var inUse = valid[c * CHUNK];
        var nextInUse = c + 1 < CHUNKS ? valid[(c + 1) * CHUNK] : 0;
        lastOf[c] <== (inUse - nextInUse) * chained[c + 1];
        opened += lastOf[c];
    }
    signal openedHash <== opened;
    component sealed = Poseidon(2);
    sealed.inputs[0] <== openedHash;
    sealed.inputs[1] <== n;
    commitment === sealed.out;
}
