// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "./utils/Vm.sol";
import {DataCoopTest} from "./utils/DataCoopTest.sol";
import {IDataRefinerRegistry} from "../src/interfaces/IDataRefinerRegistry.sol";

/// @notice Schemas, refiners and refinement services: who may add what, and what is refused.
contract DataRefinerRegistryTest is DataCoopTest {
    address internal otherService = vm.addr(0x5E42);
    address internal thirdService = vm.addr(0x5E43);

    // ---- constructor and dlpOwner

    function test_constructor_setsDataDaoRegistry() public view {
        vm.assertEq(address(refinerRegistry.dlpRegistry()), address(dlps), "DataDAO registry");
        vm.assertEq(registry.refinerRegistry(), address(refinerRegistry), "linked by the deployment");
    }

    function test_dlpOwner_returnsPoolOwner() public view {
        vm.assertEq(refinerRegistry.dlpOwner(dlpId), daoOwner, "owner of the pool");
    }

    function test_dlpOwner_followsOwnershipTransfer() public {
        vm.prank(daoOwner);
        dlp.transferOwnership(bob);
        vm.assertEq(refinerRegistry.dlpOwner(dlpId), bob, "new owner");
        uint256 schemaId = _addSchema();
        vm.expectRevert(
            abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryNotDataDaoOwner.selector, dlpId, daoOwner)
        );
        vm.prank(daoOwner);
        refinerRegistry.addRefiner(dlpId, "r", schemaId, "ipfs://r", REFINER_DIGEST);
        vm.prank(bob);
        refinerRegistry.addRefiner(dlpId, "r", schemaId, "ipfs://r", REFINER_DIGEST);
    }

    function test_dlpOwner_revertsOnUnknownDataDao() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownDataDao.selector, 0));
        refinerRegistry.dlpOwner(0);
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownDataDao.selector, 2));
        refinerRegistry.dlpOwner(2);
    }

    // ---- schemas

    function test_addSchema_anyoneAddsAndIdsStartAtOne() public {
        vm.expectEmit(true, false, false, true, address(refinerRegistry));
        emit IDataRefinerRegistry.SchemaAdded(1, "health", "sqlite", "ipfs://schema/health");
        vm.prank(bob);
        uint256 schemaId = refinerRegistry.addSchema("health", "sqlite", "ipfs://schema/health", SCHEMA_DIGEST);
        vm.assertEq(schemaId, 1, "first id is 1");

        IDataRefinerRegistry.Schema memory schema = refinerRegistry.schemas(schemaId);
        vm.assertEq(schema.name, "health", "name");
        vm.assertEq(schema.dialect, "sqlite", "dialect");
        vm.assertEq(schema.definitionUrl, "ipfs://schema/health", "url");
        vm.assertEq(schema.definitionDigest, SCHEMA_DIGEST, "digest");

        vm.prank(alice);
        uint256 second = refinerRegistry.addSchema("b", "sqlite", "ipfs://b", bytes32(uint256(2)));
        vm.assertEq(second, 2, "sequential");
        vm.assertEq(refinerRegistry.schemasCount(), 2, "count");
    }

    function test_addSchema_revertsOnEmptyName() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryEmptyField.selector, "name"));
        refinerRegistry.addSchema("", "sqlite", "ipfs://s", SCHEMA_DIGEST);
    }

    function test_addSchema_revertsOnEmptyDialect() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryEmptyField.selector, "dialect"));
        refinerRegistry.addSchema("s", "", "ipfs://s", SCHEMA_DIGEST);
    }

    function test_addSchema_revertsOnEmptyDefinitionUrl() public {
        vm.expectRevert(
            abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryEmptyField.selector, "definitionUrl")
        );
        refinerRegistry.addSchema("s", "sqlite", "", SCHEMA_DIGEST);
    }

    function test_addSchema_revertsOnEmptyDefinitionDigest() public {
        vm.expectRevert(
            abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryEmptyField.selector, "definitionDigest")
        );
        refinerRegistry.addSchema("s", "sqlite", "ipfs://s", bytes32(0));
        vm.assertEq(refinerRegistry.schemasCount(), 0, "nothing added");
    }

    function test_schemas_revertsOnUnknownId() public {
        _addSchema();
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownSchema.selector, 0));
        refinerRegistry.schemas(0);
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownSchema.selector, 2));
        refinerRegistry.schemas(2);
    }

    // ---- refiners

    function test_addRefiner_ownerAddsRefiner() public {
        uint256 schemaId = _addSchema();
        vm.expectEmit(true, true, true, true, address(refinerRegistry));
        emit IDataRefinerRegistry.RefinerAdded(1, dlpId, schemaId, "health refiner");
        vm.prank(daoOwner);
        uint256 refinerId =
            refinerRegistry.addRefiner(dlpId, "health refiner", schemaId, "ipfs://refiner/health", REFINER_DIGEST);
        vm.assertEq(refinerId, 1, "first id is 1");

        IDataRefinerRegistry.Refiner memory refiner = refinerRegistry.refiners(refinerId);
        vm.assertEq(refiner.dlpId, dlpId, "DataDAO");
        vm.assertEq(refiner.name, "health refiner", "name");
        vm.assertEq(refiner.schemaId, schemaId, "schema");
        vm.assertEq(refiner.refinementInstructionUrl, "ipfs://refiner/health", "url");
        vm.assertEq(refiner.refinementInstructionDigest, REFINER_DIGEST, "digest");
        vm.assertEq(refinerRegistry.refinersCount(), 1, "count");
        vm.assertEq(refinerRegistry.dlpRefiners(dlpId), _uints(refinerId), "listed for the DataDAO");
    }

    function test_addRefiner_revertsForNonOwner() public {
        uint256 schemaId = _addSchema();
        vm.expectRevert(
            abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryNotDataDaoOwner.selector, dlpId, bob)
        );
        vm.prank(bob);
        refinerRegistry.addRefiner(dlpId, "r", schemaId, "ipfs://r", REFINER_DIGEST);
    }

    function test_addRefiner_revertsOnUnknownDataDao() public {
        uint256 schemaId = _addSchema();
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownDataDao.selector, 7));
        vm.prank(daoOwner);
        refinerRegistry.addRefiner(7, "r", schemaId, "ipfs://r", REFINER_DIGEST);
    }

    function test_addRefiner_revertsOnUnknownSchema() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownSchema.selector, 0));
        vm.prank(daoOwner);
        refinerRegistry.addRefiner(dlpId, "r", 0, "ipfs://r", REFINER_DIGEST);
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownSchema.selector, 1));
        vm.prank(daoOwner);
        refinerRegistry.addRefiner(dlpId, "r", 1, "ipfs://r", REFINER_DIGEST);
    }

    function test_addRefiner_revertsOnEmptyName() public {
        uint256 schemaId = _addSchema();
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryEmptyField.selector, "name"));
        vm.prank(daoOwner);
        refinerRegistry.addRefiner(dlpId, "", schemaId, "ipfs://r", REFINER_DIGEST);
    }

    function test_addRefiner_revertsOnEmptyInstructionUrl() public {
        uint256 schemaId = _addSchema();
        vm.expectRevert(
            abi.encodeWithSelector(
                IDataRefinerRegistry.DataRefinerRegistryEmptyField.selector, "refinementInstructionUrl"
            )
        );
        vm.prank(daoOwner);
        refinerRegistry.addRefiner(dlpId, "r", schemaId, "", REFINER_DIGEST);
    }

    function test_addRefiner_revertsOnEmptyInstructionDigest() public {
        uint256 schemaId = _addSchema();
        vm.expectRevert(
            abi.encodeWithSelector(
                IDataRefinerRegistry.DataRefinerRegistryEmptyField.selector, "refinementInstructionDigest"
            )
        );
        vm.prank(daoOwner);
        refinerRegistry.addRefiner(dlpId, "r", schemaId, "ipfs://r", bytes32(0));
        vm.assertEq(refinerRegistry.refinersCount(), 0, "nothing added");
    }

    function test_refiners_revertsOnUnknownId() public {
        _addRefiner(dlpId, _addSchema());
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownRefiner.selector, 0));
        refinerRegistry.refiners(0);
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownRefiner.selector, 2));
        refinerRegistry.refiners(2);
    }

    function test_refinerDlpId_isTheRefinersDataDaoAndRevertsOnUnknownId() public {
        uint256 otherDlp = _createDataDaoOwnedBy(bob, "Other DAO");
        uint256 schemaId = _addSchema();
        uint256 first = _addRefiner(dlpId, schemaId);
        uint256 second = _addRefiner(otherDlp, schemaId);
        vm.assertEq(refinerRegistry.refinerDlpId(first), dlpId, "first");
        vm.assertEq(refinerRegistry.refinerDlpId(second), otherDlp, "second");
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownRefiner.selector, 0));
        refinerRegistry.refinerDlpId(0);
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownRefiner.selector, 3));
        refinerRegistry.refinerDlpId(3);
    }

    function test_dlpRefiners_listsEachDataDaosOwnRefinersOldestFirst() public {
        uint256 otherDlp = _createDataDaoOwnedBy(bob, "Other DAO");
        vm.assertEq(refinerRegistry.dlpOwner(otherDlp), bob, "other DataDAO's owner");
        uint256 schemaId = _addSchema();
        uint256 first = _addRefiner(dlpId, schemaId);
        uint256 foreign = _addRefiner(otherDlp, schemaId); // a schema serves every DataDAO
        uint256 third = _addRefiner(dlpId, schemaId);
        vm.assertEq(refinerRegistry.dlpRefiners(dlpId), _uints(first, third), "fixture DataDAO");
        vm.assertEq(refinerRegistry.dlpRefiners(otherDlp), _uints(foreign), "other DataDAO");
        vm.assertEq(refinerRegistry.dlpRefiners(99), new uint256[](0), "unknown DataDAO has none");
        vm.assertEq(refinerRegistry.refiners(foreign).dlpId, otherDlp, "refiner's DataDAO");
    }

    // ---- refinement services

    function test_addRefinementService_ownerAddsService() public {
        vm.expectEmit(true, true, false, false, address(refinerRegistry));
        emit IDataRefinerRegistry.RefinementServiceAdded(dlpId, service);
        vm.prank(daoOwner);
        refinerRegistry.addRefinementService(dlpId, service);
        vm.assertTrue(refinerRegistry.isRefinementService(dlpId, service), "added");
        address[] memory expected = new address[](1);
        expected[0] = service;
        vm.assertEq(refinerRegistry.dlpRefinementServices(dlpId), expected, "listed");
    }

    function test_addRefinementService_revertsForNonOwner() public {
        vm.expectRevert(
            abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryNotDataDaoOwner.selector, dlpId, service)
        );
        vm.prank(service); // a service cannot enrol itself
        refinerRegistry.addRefinementService(dlpId, service);
    }

    function test_addRefinementService_revertsOnUnknownDataDao() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownDataDao.selector, 5));
        vm.prank(daoOwner);
        refinerRegistry.addRefinementService(5, service);
    }

    function test_addRefinementService_revertsOnZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryZeroAddress.selector));
        vm.prank(daoOwner);
        refinerRegistry.addRefinementService(dlpId, address(0));
    }

    function test_addRefinementService_revertsWhenAlreadyAdded() public {
        _addService(dlpId, service);
        vm.expectRevert(
            abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryServiceAlreadyAdded.selector, dlpId, service)
        );
        vm.prank(daoOwner);
        refinerRegistry.addRefinementService(dlpId, service);
    }

    function test_isRefinementService_isPerDataDao() public {
        uint256 otherDlp = _createDataDaoOwnedBy(bob, "Other DAO");
        _addService(dlpId, service);
        vm.assertTrue(refinerRegistry.isRefinementService(dlpId, service), "serves the fixture DataDAO");
        vm.assertFalse(refinerRegistry.isRefinementService(otherDlp, service), "not the other");
        vm.assertEq(refinerRegistry.dlpRefinementServices(otherDlp), new address[](0), "other has none");
    }

    function test_removeRefinementService_keepsTheOtherServices() public {
        _addService(dlpId, service);
        _addService(dlpId, otherService);
        _addService(dlpId, thirdService);

        vm.expectEmit(true, true, false, false, address(refinerRegistry));
        emit IDataRefinerRegistry.RefinementServiceRemoved(dlpId, otherService);
        vm.prank(daoOwner);
        refinerRegistry.removeRefinementService(dlpId, otherService);
        address[] memory expected = new address[](2);
        expected[0] = service;
        expected[1] = thirdService;
        vm.assertEq(refinerRegistry.dlpRefinementServices(dlpId), expected, "middle removed");
        vm.assertFalse(refinerRegistry.isRefinementService(dlpId, otherService), "flag cleared");

        vm.prank(daoOwner);
        refinerRegistry.removeRefinementService(dlpId, service);
        expected = new address[](1);
        expected[0] = thirdService;
        vm.assertEq(refinerRegistry.dlpRefinementServices(dlpId), expected, "first removed");

        vm.prank(daoOwner);
        refinerRegistry.removeRefinementService(dlpId, thirdService);
        vm.assertEq(refinerRegistry.dlpRefinementServices(dlpId), new address[](0), "last removed");

        _addService(dlpId, otherService); // may be trusted again
        vm.assertTrue(refinerRegistry.isRefinementService(dlpId, otherService), "re-added");
    }

    function test_removeRefinementService_revertsForNonOwner() public {
        _addService(dlpId, service);
        vm.expectRevert(
            abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryNotDataDaoOwner.selector, dlpId, bob)
        );
        vm.prank(bob);
        refinerRegistry.removeRefinementService(dlpId, service);
    }

    function test_removeRefinementService_revertsWhenNotService() public {
        vm.expectRevert(
            abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryNotService.selector, dlpId, service)
        );
        vm.prank(daoOwner);
        refinerRegistry.removeRefinementService(dlpId, service);

        _addService(dlpId, service);
        vm.prank(daoOwner);
        refinerRegistry.removeRefinementService(dlpId, service);
        vm.expectRevert(
            abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryNotService.selector, dlpId, service)
        );
        vm.prank(daoOwner);
        refinerRegistry.removeRefinementService(dlpId, service);
    }

    function test_removeRefinementService_revertsOnUnknownDataDao() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownDataDao.selector, 3));
        vm.prank(daoOwner);
        refinerRegistry.removeRefinementService(3, service);
    }

    /// The list always holds exactly the flagged services, whatever is removed.
    function testFuzz_removeRefinementService_listMatchesFlags(uint8 count, uint256 removeMask) public {
        uint256 n = _bound(count, 1, 8);
        address[] memory added = new address[](n);
        for (uint256 i = 0; i < n; i++) {
            added[i] = vm.addr(0x5E00 + i);
            _addService(dlpId, added[i]);
        }
        uint256 kept = n;
        for (uint256 i = 0; i < n; i++) {
            if ((removeMask >> i) & 1 == 1) {
                vm.prank(daoOwner);
                refinerRegistry.removeRefinementService(dlpId, added[i]);
                kept--;
            }
        }
        address[] memory listed = refinerRegistry.dlpRefinementServices(dlpId);
        vm.assertEq(listed.length, kept, "one entry per kept service");
        for (uint256 i = 0; i < n; i++) {
            bool inList = false;
            for (uint256 j = 0; j < listed.length; j++) {
                if (listed[j] == added[i]) inList = true;
            }
            bool flagged = refinerRegistry.isRefinementService(dlpId, added[i]);
            vm.assertEq(inList, flagged, "listed iff flagged");
            vm.assertEq(flagged, (removeMask >> i) & 1 == 0, "flagged iff not removed");
        }
    }
}
