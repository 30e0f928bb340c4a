// The circuits' JavaScript side, used by build.js and by the Java prover (org.datacoop.zk), which runs
//   node circuits/zk.js commit   < {"values": ["-3", ...], "salt": "..."}               > {"commitment": "..."}
//   node circuits/zk.js prove    < {"circuit": "aggregate8", "values": [...], "salt": "...", "threshold": "..."}
//                                > {"publicSignals": [...], "proof": {...}, "calldata": {"a":..., "b":..., "c":..., "inputs":...}}
// Numbers are decimal strings (signed: the field's p - |x| is computed here). Errors go to stderr, with
// exit status 1. Node rather than Java: no Groth16 prover or circomlib-compatible Poseidon is on Maven
// Central, and circomlibjs's Poseidon is the circuit's own reference.
"use strict";
const fs = require("fs");
const path = require("path");
const snarkjs = require("snarkjs");
const { buildPoseidon } = require("circomlibjs");

const CHUNK = 15;
// BN254's scalar field, in which the circuits compute.
const FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const BUILD_DIR = path.join(__dirname, "build");

function element(value, what) {
    if (typeof value !== "string" || !/^-?[0-9]+$/.test(value)) {
        throw new Error(`${what} must be a decimal integer string, got ${JSON.stringify(value)}`);
    }
    const n = BigInt(value);
    return ((n % FIELD) + FIELD) % FIELD;
}

/** The column's commitment as aggregate.circom opens it: a salted chain of Poseidon over chunks of 15. */
async function commitment(values, salt) {
    const poseidon = await buildPoseidon();
    let chained = salt;
    for (let start = 0; start < values.length; start += CHUNK) {
        const chunk = values.slice(start, start + CHUNK);
        while (chunk.length < CHUNK) chunk.push(0n);
        chained = poseidon.F.toObject(poseidon([chained, ...chunk]));
    }
    return poseidon.F.toObject(poseidon([chained, BigInt(values.length)]));
}

/** The size N of a compiled aggregate circuit, from its name: aggregate8 holds up to 8 rows. */
function rowsOf(circuit) {
    const match = /^aggregate([0-9]+)$/.exec(circuit);
    if (!match) throw new Error(`unknown circuit ${JSON.stringify(circuit)}: expected aggregate<N>`);
    return Number(match[1]);
}

async function aggregateInput(circuit, values, salt, threshold) {
    const rows = rowsOf(circuit);
    if (values.length > rows) {
        throw new Error(`${values.length} rows do not fit circuit ${circuit}, which holds at most ${rows}`);
    }
    const padded = Array.from({ length: rows }, (_, i) => (i < values.length ? values[i] : 0n));
    return {
        values: padded.map(String),
        valid: padded.map((_, i) => (i < values.length ? "1" : "0")),
        salt: String(salt),
        commitment: String(await commitment(values, salt)),
        threshold: String(threshold),
    };
}

/** Witness and Groth16 proof, with the calldata the generated verifier takes, parsed from snarkjs's text. */
async function prove(circuit, input, dir = BUILD_DIR) {
    const wasm = path.join(dir, `${circuit}.wasm`);
    const zkey = path.join(dir, `${circuit}.zkey`);
    for (const file of [wasm, zkey]) {
        if (!fs.existsSync(file)) throw new Error(`${file} is missing: build the circuits (node circuits/build.js)`);
    }
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(input, wasm, zkey);
    // The text is four comma-separated JSON arrays of quoted hex numbers: a, b, c, inputs.
    const [a, b, c, inputs] = JSON.parse(`[${await snarkjs.groth16.exportSolidityCallData(proof, publicSignals)}]`);
    return { publicSignals, proof, calldata: { a, b, c, inputs } };
}

async function main() {
    const [command] = process.argv.slice(2);
    const request = JSON.parse(fs.readFileSync(0, "utf8"));
    if (!Array.isArray(request.values)) throw new Error("values must be an array of decimal integer strings");
    const values = request.values.map((v, i) => element(v, `values[${i}]`));
    const salt = element(request.salt, "salt");
    let answer;
    if (command === "commit") {
        answer = { commitment: String(await commitment(values, salt)) };
    } else if (command === "prove") {
        const input = await aggregateInput(request.circuit, values, salt, element(request.threshold, "threshold"));
        answer = await prove(request.circuit, input);
    } else {
        throw new Error(`unknown command ${JSON.stringify(command)}: expected commit or prove`);
    }
    process.stdout.write(JSON.stringify(answer) + "\n");
}

module.exports = { FIELD, commitment, aggregateInput, prove };

if (require.main === module) {
    main().then(
        () => process.exit(0),
        (error) => {
            process.stderr.write(`${error.message}\n`);
            process.exit(1);
        },
    );
}
