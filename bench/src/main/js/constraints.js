// The aggregate circuits' sizes for `./coop bench zk`: compiles each to R1CS in a temporary directory
// (circuits/build/ keeps only what proving needs) and prints {"aggregate8": {"constraints": ..., ...}, ...}.
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const snarkjs = require("snarkjs");

const ROOT = path.resolve(__dirname, "..", "..", "..", "..");

async function main() {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "coop-bench-zk-"));
    try {
        const sizes = {};
        for (const circuit of process.argv.slice(2)) {
            // circom2 runs under WASI and resolves paths relative to the working directory.
            execFileSync(process.execPath, [require.resolve("circom2/cli.js"), `circuits/${circuit}.circom`, "--r1cs",
                "--O2", "-l", "node_modules", "-o", path.relative(ROOT, out)], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
            const info = await snarkjs.r1cs.info(path.join(out, `${circuit}.r1cs`));
            sizes[circuit] = { constraints: info.nConstraints, publicSignals: info.nOutputs + info.nPubInputs };
        }
        process.stdout.write(JSON.stringify(sizes) + "\n");
    } finally {
        fs.rmSync(out, { recursive: true, force: true });
    }
}

main().then(() => process.exit(0), (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
});
