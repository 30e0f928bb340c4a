// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "./Vm.sol";
import {DataCoopDeployment} from "../../script/DeployDataCoop.s.sol";
import {DataRegistry} from "../../src/DataRegistry.sol";
import {TeePool} from "../../src/TeePool.sol";
import {DataLiquidityPool} from "../../src/DataLiquidityPool.sol";
import {DataLiquidityPoolRegistry} from "../../src/DataLiquidityPoolRegistry.sol";
import {DataDaoToken} from "../../src/DataDaoToken.sol";
import {IDataRegistry} from "../../src/interfaces/IDataRegistry.sol";
import {ITeePool} from "../../src/interfaces/ITeePool.sol";
import {IDataLiquidityPoolRegistry} from "../../src/interfaces/IDataLiquidityPoolRegistry.sol";

/// @notice A deployed DataCoop with one validator and one DataDAO, and the steps of the
///         contribution flow as helpers.
abstract contract DataCoopTest {
    uint256 internal constant TEE_FEE = 0.01 ether;
    uint256 internal constant CANCEL_DELAY = 1 hours;
    uint256 internal constant REWARD_PER_FILE = 100e18;
    uint256 internal constant REWARD_BUDGET = 1_000_000e18;
    uint256 internal constant SCORE_ONE = 1e18;
    bytes32 internal constant PROGRAM_DIGEST = sha256("builtin:declarative/v1");
    string internal constant PROGRAM_URL = "builtin:declarative/v1";

    uint256 internal constant TEE_KEY = 0x7EE1;
    uint256 internal constant OTHER_TEE_KEY = 0x7EE2;

    DataRegistry internal registry;
    TeePool internal pool;
    DataLiquidityPoolRegistry internal dlps;
    DataLiquidityPool internal dlp;
    DataDaoToken internal token;
    uint256 internal dlpId;

    address internal tee = vm.addr(TEE_KEY);
    address internal alice = vm.addr(0xA11CE);
    address internal bob = vm.addr(0xB0B);
    address internal daoOwner = vm.addr(0xDA0);

    function setUp() public virtual {
        DataCoopDeployment.Contracts memory c = DataCoopDeployment.deploy(address(this), TEE_FEE, CANCEL_DELAY);
        registry = c.dataRegistry;
        pool = c.teePool;
        dlps = c.dlpRegistry;
        _addTee(tee, 1);
        (dlpId, dlp) = _createDataDao("Health DAO", PROGRAM_DIGEST);
        token = DataDaoToken(dlp.token());
        vm.deal(alice, 100 ether);
        vm.deal(bob, 100 ether);
        vm.label(tee, "tee");
        vm.label(alice, "alice");
        vm.label(bob, "bob");
    }

    function _addTee(address teeAddress, uint256 keySeed) internal {
        pool.addTee(
            teeAddress,
            "http://127.0.0.1:7000",
            abi.encodePacked("rsa-public-key-", keySeed),
            _secpKey(keySeed),
            "software",
            keccak256(abi.encodePacked("measurement", keySeed))
        );
    }

    function _secpKey(uint256 seed) internal pure returns (bytes memory key) {
        key = new bytes(65);
        key[0] = 0x04;
        bytes32 body = keccak256(abi.encodePacked(seed));
        for (uint256 i = 0; i < 32; i++) {
            key[i + 1] = body[i];
        }
    }

    function _createDataDao(string memory name, bytes32 programDigest)
        internal
        returns (uint256 id, DataLiquidityPool created)
    {
        vm.prank(daoOwner);
        (uint256 newId, address poolAddress) = dlps.createDataLiquidityPool(
            IDataLiquidityPoolRegistry.DataDaoParams({
                name: name,
                tokenName: string.concat(name, " Token"),
                tokenSymbol: "DAT",
                rewardBudget: REWARD_BUDGET,
                rewardPerFile: REWARD_PER_FILE,
                programDigest: programDigest,
                programUrl: PROGRAM_URL
            })
        );
        return (newId, DataLiquidityPool(poolAddress));
    }

    function _addFile(address owner, string memory url) internal returns (uint256 fileId) {
        bytes32 checksum = sha256(bytes(url)); // before the prank: a precompile call would use it up
        vm.prank(owner);
        fileId = registry.addFile(url, checksum);
    }

    function _requestJob(address payer, uint256 fileId) internal returns (uint256 jobId) {
        vm.prank(payer);
        jobId = pool.requestContributionProof{value: TEE_FEE}(fileId, dlpId);
    }

    function _proofData(uint256 score, uint256 forDlp) internal pure returns (ITeePool.ProofData memory) {
        return ITeePool.ProofData({
            score: score,
            dlpId: forDlp,
            programDigest: PROGRAM_DIGEST,
            metadata: '{"valid":true}',
            proofUrl: "http://127.0.0.1:7001/blobs/attestation",
            instruction: ""
        });
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _signProof(uint256 key, uint256 jobId, ITeePool.ProofData memory data) internal view returns (bytes memory) {
        return _sign(key, pool.proofDigest(jobId, vm.addr(key), data));
    }

    /// @dev The assigned validator proves `jobId` with `score` for the fixture's DataDAO.
    function _prove(uint256 jobId, uint256 score) internal returns (uint256 proofIndex) {
        ITeePool.ProofData memory data = _proofData(score, dlpId);
        bytes memory signature = _signProof(TEE_KEY, jobId, data);
        vm.prank(tee);
        proofIndex = pool.addProof(jobId, data, signature);
    }

    /// @dev A file of `owner`, validated with `score`: returns the file id and the proof index.
    function _validatedFile(address owner, string memory url, uint256 score)
        internal
        returns (uint256 fileId, uint256 proofIndex)
    {
        fileId = _addFile(owner, url);
        proofIndex = _prove(_requestJob(owner, fileId), score);
    }

    function _bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        return min + (x % (max - min + 1));
    }

    function _fileOf(uint256 fileId) internal view returns (IDataRegistry.FileRecord memory) {
        return registry.files(fileId);
    }
}
