// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {vm} from "./utils/Vm.sol";
import {DataCoopTest} from "./utils/DataCoopTest.sol";
import {DataRegistry} from "../src/DataRegistry.sol";
import {IDataRegistry} from "../src/interfaces/IDataRegistry.sol";
import {IDataRefinerRegistry} from "../src/interfaces/IDataRefinerRegistry.sol";

/// @notice DataRegistry's refinements: only a service of the refiner's DataDAO may add one, only for
///         a file that DataDAO validated with a score above zero, once per file and refiner, and its
///         key never replaces the raw file's.
contract RefinementTest is DataCoopTest {
    uint256 internal schemaId;
    uint256 internal refinerId;

    function setUp() public override {
        super.setUp();
        schemaId = _addSchema();
        refinerId = _addRefiner(dlpId, schemaId);
        _addService(dlpId, service);
    }

    // ---- setRefinerRegistry

    function test_setRefinerRegistry_revertsWhenAlreadySet() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IDataRegistry.DataRegistryRefinerRegistryAlreadySet.selector, address(refinerRegistry)
            )
        );
        registry.setRefinerRegistry(bob);
    }

    function test_setRefinerRegistry_ownerSetsOnceAndNotZero() public {
        DataRegistry fresh = new DataRegistry(address(this));
        vm.assertEq(fresh.refinerRegistry(), address(0), "unset at first");
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", bob));
        vm.prank(bob);
        fresh.setRefinerRegistry(address(refinerRegistry));
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryZeroAddress.selector));
        fresh.setRefinerRegistry(address(0));

        vm.expectEmit(false, false, false, true, address(fresh));
        emit IDataRegistry.RefinerRegistrySet(address(refinerRegistry));
        fresh.setRefinerRegistry(address(refinerRegistry));
        vm.assertEq(fresh.refinerRegistry(), address(refinerRegistry), "set");
    }

    // ---- addRefinementWithPermission

    function test_addRefinementWithPermission_recordsUrlKeyAndList() public {
        uint256 fileId = _validatedFileFor(alice, "ipfs://a", SCORE_ONE, dlpId);
        vm.expectEmit(true, true, false, true, address(registry));
        emit IDataRegistry.RefinementAdded(fileId, refinerId, "ipfs://refined/a", bob);
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://refined/a", bob, hex"b0b0");

        vm.assertEq(registry.refinements(fileId, refinerId), "ipfs://refined/a", "url");
        vm.assertEq(registry.refinementPermissions(fileId, refinerId, bob), hex"b0b0", "key for the account");
        vm.assertEq(registry.refinementPermissions(fileId, refinerId, service), "", "no key for the service");
        vm.assertEq(registry.refinedFileOwner(fileId, refinerId), alice, "owner is the file's");
        vm.assertEq(registry.refinedFilesCount(refinerId), 1, "count");
        vm.assertEq(registry.refinedFiles(refinerId, 0, 10), _uints(fileId), "listed");
    }

    function test_addRefinementWithPermission_revertsWhenRefinerRegistryNotSet() public {
        DataRegistry fresh = new DataRegistry(address(this));
        vm.prank(alice);
        uint256 fileId = fresh.addFile("ipfs://a", bytes32(uint256(1)));
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryRefinerRegistryNotSet.selector));
        vm.prank(service);
        fresh.addRefinementWithPermission(fileId, refinerId, "ipfs://r", service, hex"01");
    }

    function test_addRefinementWithPermission_revertsOnUnknownFile() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownFile.selector, 1));
        vm.prank(service);
        registry.addRefinementWithPermission(1, refinerId, "ipfs://r", service, hex"01");
    }

    function test_addRefinementWithPermission_revertsOnUnknownRefiner() public {
        uint256 fileId = _validatedFileFor(alice, "ipfs://a", SCORE_ONE, dlpId);
        vm.expectRevert(
            abi.encodeWithSelector(IDataRefinerRegistry.DataRefinerRegistryUnknownRefiner.selector, refinerId + 1)
        );
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId + 1, "ipfs://r", service, hex"01");
    }

    function test_addRefinementWithPermission_revertsForNonService() public {
        uint256 fileId = _validatedFileFor(alice, "ipfs://a", SCORE_ONE, dlpId);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNotRefinementService.selector, dlpId, alice));
        vm.prank(alice); // not even the file's owner
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://r", alice, hex"01");
        vm.expectRevert(
            abi.encodeWithSelector(IDataRegistry.DataRegistryNotRefinementService.selector, dlpId, daoOwner)
        );
        vm.prank(daoOwner); // nor the DataDAO's owner: only the services it named
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://r", daoOwner, hex"01");
    }

    function test_addRefinementWithPermission_revertsForServiceOfAnotherDataDao() public {
        uint256 otherDlp = _createDataDaoOwnedBy(bob, "Other DAO");
        address otherService = vm.addr(0x5E42);
        _addService(otherDlp, otherService);
        uint256 fileId = _validatedFileFor(alice, "ipfs://a", SCORE_ONE, dlpId);
        vm.expectRevert(
            abi.encodeWithSelector(IDataRegistry.DataRegistryNotRefinementService.selector, dlpId, otherService)
        );
        vm.prank(otherService);
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://r", otherService, hex"01");
    }

    function test_addRefinementWithPermission_revertsAfterServiceRemoved() public {
        uint256 fileId = _validatedFileFor(alice, "ipfs://a", SCORE_ONE, dlpId);
        vm.prank(daoOwner);
        refinerRegistry.removeRefinementService(dlpId, service);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNotRefinementService.selector, dlpId, service));
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://r", service, hex"01");
    }

    function test_addRefinementWithPermission_revertsForFileWithoutProof() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNotValidated.selector, fileId, dlpId));
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://r", service, hex"01");

        _requestJob(alice, fileId); // an open job is no proof either
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNotValidated.selector, fileId, dlpId));
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://r", service, hex"01");
    }

    function test_addRefinementWithPermission_revertsForZeroScore() public {
        uint256 fileId = _validatedFileFor(alice, "ipfs://a", 0, dlpId);
        vm.assertEq(registry.fileProofsCount(fileId), 1, "a proof exists");
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNotValidated.selector, fileId, dlpId));
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://r", service, hex"01");
    }

    function test_addRefinementWithPermission_revertsForProofOfAnotherDataDao() public {
        uint256 otherDlp = _createDataDaoOwnedBy(bob, "Other DAO");
        uint256 otherRefiner = _addRefiner(otherDlp, schemaId);
        _addService(otherDlp, service); // the same service works for both DataDAOs
        uint256 fileId = _validatedFileFor(alice, "ipfs://a", SCORE_ONE, otherDlp);

        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNotValidated.selector, fileId, dlpId));
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://r", service, hex"01");

        vm.prank(service); // the DataDAO that validated it may refine it
        registry.addRefinementWithPermission(fileId, otherRefiner, "ipfs://r", service, hex"01");
        vm.assertEq(registry.refinedFileOwner(fileId, otherRefiner), alice, "refined for its DataDAO");
    }

    function test_addRefinementWithPermission_acceptsAnyPositiveProofAmongSeveral() public {
        uint256 otherDlp = _createDataDaoOwnedBy(bob, "Other DAO");
        uint256 fileId = _validatedFileFor(alice, "ipfs://a", 0, otherDlp); // rejected elsewhere
        uint256 jobId = _requestJob(alice, fileId);
        _prove(jobId, 1); // the smallest positive score for the fixture DataDAO
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://r", service, hex"01");
        vm.assertEq(registry.refinements(fileId, refinerId), "ipfs://r", "refined");
    }

    function test_addRefinementWithPermission_revertsOnEmptyUrl() public {
        uint256 fileId = _validatedFileFor(alice, "ipfs://a", SCORE_ONE, dlpId);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryEmptyUrl.selector));
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, "", service, hex"01");
    }

    function test_addRefinementWithPermission_revertsOnInvalidPermission() public {
        uint256 fileId = _validatedFileFor(alice, "ipfs://a", SCORE_ONE, dlpId);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryInvalidPermission.selector, address(0)));
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://r", address(0), hex"01");
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryInvalidPermission.selector, service));
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://r", service, "");
        vm.assertEq(registry.refinedFilesCount(refinerId), 0, "nothing recorded");
    }

    function test_addRefinementWithPermission_revertsOnSecondRefinementBySameRefiner() public {
        uint256 fileId = _validatedFileFor(alice, "ipfs://a", SCORE_ONE, dlpId);
        _refine(fileId, refinerId);
        vm.expectRevert(
            abi.encodeWithSelector(IDataRegistry.DataRegistryRefinementAlreadyAdded.selector, fileId, refinerId)
        );
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://other", bob, hex"02");
        vm.assertEq(registry.refinedFilesCount(refinerId), 1, "listed once");
        vm.assertEq(registry.refinementPermissions(fileId, refinerId, bob), "", "no second key");
    }

    function test_addRefinementWithPermission_anotherRefinerMayRefineTheSameFile() public {
        uint256 secondRefiner = _addRefiner(dlpId, schemaId);
        uint256 fileId = _validatedFileFor(alice, "ipfs://a", SCORE_ONE, dlpId);
        _refine(fileId, refinerId);
        _refine(fileId, secondRefiner);
        vm.assertEq(registry.refinedFiles(refinerId, 0, 5), _uints(fileId), "first refiner");
        vm.assertEq(registry.refinedFiles(secondRefiner, 0, 5), _uints(fileId), "second refiner");
    }

    /// The refinement's key lives apart: it never replaces the raw file's key for the same account.
    function test_addRefinementWithPermission_keepsTheFilesOwnPermission() public {
        uint256 fileId = _validatedFileFor(alice, "ipfs://a", SCORE_ONE, dlpId);
        vm.prank(alice);
        registry.addFilePermission(fileId, service, bytes(hex"aa"));
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://r", service, hex"bb");
        vm.assertEq(registry.filePermissions(fileId, service), hex"aa", "raw file key untouched");
        vm.assertEq(registry.refinementPermissions(fileId, refinerId, service), hex"bb", "refinement key");

        vm.prank(alice);
        registry.revokeFilePermission(fileId, service);
        vm.assertEq(registry.refinementPermissions(fileId, refinerId, service), hex"bb", "independent of the raw key");
        vm.assertEq(registry.filePermissions(fileId, bob), "", "nothing granted to others");
    }

    // ---- views

    // ---- shareRefinement

    function test_shareRefinement_aKeyHolderSharesWithAnotherServiceOfTheDataDao() public {
        address second = vm.addr(0x5EC0);
        _addService(dlpId, second);
        uint256 fileId = _refined(alice, "ipfs://a");
        vm.expectEmit(true, true, true, true, address(registry));
        emit IDataRegistry.RefinementShared(fileId, refinerId, second, service);
        vm.prank(service);
        registry.shareRefinement(fileId, refinerId, second, hex"5ec0");
        vm.assertEq(registry.refinementPermissions(fileId, refinerId, second), hex"5ec0", "the second service's key");
        vm.assertEq(registry.refinementPermissions(fileId, refinerId, service), hex"5e", "the sharer's own key unchanged");
        vm.assertEq(registry.refinements(fileId, refinerId), "ipfs://refined", "the refinement unchanged");
    }

    function test_shareRefinement_revertsForAServiceWithoutTheKey() public {
        address second = vm.addr(0x5EC0);
        _addService(dlpId, second);
        uint256 fileId = _refined(alice, "ipfs://a");
        vm.expectRevert(
            abi.encodeWithSelector(IDataRegistry.DataRegistryNoRefinementKey.selector, fileId, refinerId, second)
        );
        vm.prank(second); // a service that cannot open the refinement cannot hand its key out
        registry.shareRefinement(fileId, refinerId, second, hex"01");
    }

    function test_shareRefinement_revertsForAStrangerOnEitherSide() public {
        uint256 fileId = _refined(alice, "ipfs://a");
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNotRefinementService.selector, dlpId, alice));
        vm.prank(alice);
        registry.shareRefinement(fileId, refinerId, service, hex"01");
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNotRefinementService.selector, dlpId, bob));
        vm.prank(service); // the key holder may not hand the data to someone the DataDAO did not name
        registry.shareRefinement(fileId, refinerId, bob, hex"01");
        vm.assertEq(registry.refinementPermissions(fileId, refinerId, bob), "", "nothing shared");
    }

    function test_shareRefinement_revertsForAnUnrefinedFileOrAnEmptyKey() public {
        uint256 unrefined = _validatedFileFor(alice, "ipfs://u", SCORE_ONE, dlpId);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNoRefinement.selector, unrefined, refinerId));
        vm.prank(service);
        registry.shareRefinement(unrefined, refinerId, service, hex"01");
        uint256 fileId = _refined(bob, "ipfs://b");
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryInvalidPermission.selector, service));
        vm.prank(service);
        registry.shareRefinement(fileId, refinerId, service, "");
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownFile.selector, 999));
        vm.prank(service);
        registry.shareRefinement(999, refinerId, service, hex"01");
    }

    /// @dev `owner`'s validated file, refined by `service` with its key wrapped to itself.
    function _refined(address owner, string memory url) private returns (uint256 fileId) {
        fileId = _validatedFileFor(owner, url, SCORE_ONE, dlpId);
        vm.prank(service);
        registry.addRefinementWithPermission(fileId, refinerId, "ipfs://refined", service, hex"5e");
    }

    function test_refinements_isEmptyWhenNone() public {
        uint256 fileId = _addFile(alice, "ipfs://a");
        vm.assertEq(registry.refinements(fileId, refinerId), "", "no refinement");
        vm.assertEq(registry.refinementPermissions(fileId, refinerId, service), "", "no key");
    }

    function test_refinements_revertsOnUnknownFile() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownFile.selector, 4));
        registry.refinements(4, refinerId);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownFile.selector, 0));
        registry.refinementPermissions(0, refinerId, service);
    }

    function test_refinedFileOwner_revertsForUnrefinedFile() public {
        uint256 secondRefiner = _addRefiner(dlpId, schemaId);
        uint256 validated = _validatedFileFor(alice, "ipfs://a", SCORE_ONE, dlpId);
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNoRefinement.selector, validated, refinerId));
        registry.refinedFileOwner(validated, refinerId);

        _refine(validated, secondRefiner); // refined, but by another refiner
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryNoRefinement.selector, validated, refinerId));
        registry.refinedFileOwner(validated, refinerId);
        vm.assertEq(registry.refinedFileOwner(validated, secondRefiner), alice, "owner for its refiner");
    }

    function test_refinedFileOwner_revertsOnUnknownFile() public {
        vm.expectRevert(abi.encodeWithSelector(IDataRegistry.DataRegistryUnknownFile.selector, 9));
        registry.refinedFileOwner(9, refinerId);
    }

    function test_refinedFiles_pagesOldestFirst() public {
        uint256[] memory ids = _refineMany(5);
        vm.assertEq(registry.refinedFilesCount(refinerId), 5, "count");
        vm.assertEq(registry.refinedFiles(refinerId, 0, 2), _uints(ids[0], ids[1]), "first page");
        vm.assertEq(registry.refinedFiles(refinerId, 2, 2), _uints(ids[2], ids[3]), "second page");
        vm.assertEq(registry.refinedFiles(refinerId, 4, 2), _uints(ids[4]), "partial last page");
        vm.assertEq(registry.refinedFiles(refinerId, 0, 5), ids, "exact fit");
        vm.assertEq(registry.refinedFiles(refinerId, 0, type(uint256).max), ids, "unbounded limit");
        vm.assertEq(registry.refinedFiles(refinerId, 3, type(uint256).max), _uints(ids[3], ids[4]), "tail");
    }

    function test_refinedFiles_emptyPages() public {
        _refineMany(3);
        vm.assertEq(registry.refinedFiles(refinerId, 3, 1).length, 0, "offset at end");
        vm.assertEq(registry.refinedFiles(refinerId, 50, 10).length, 0, "offset past end");
        vm.assertEq(registry.refinedFiles(refinerId, type(uint256).max, type(uint256).max).length, 0, "max offset");
        vm.assertEq(registry.refinedFiles(refinerId, 0, 0).length, 0, "limit 0");
        vm.assertEq(registry.refinedFiles(refinerId, 2, 0).length, 0, "limit 0 mid-list");
        vm.assertEq(registry.refinedFiles(refinerId + 1, 0, 10).length, 0, "unknown refiner");
        vm.assertEq(registry.refinedFilesCount(refinerId + 1), 0, "unknown refiner count");
    }

    /// A page is the slice [offset, min(offset + limit, count)) of the refined files, whatever the bounds.
    function testFuzz_refinedFiles_pageIsTheSlice(uint256 count, uint256 offset, uint256 limit) public {
        count = _bound(count, 0, 6);
        offset = offset % 2 == 0 ? _bound(offset, 0, 9) : offset; // mostly near the list, sometimes anywhere
        limit = limit % 2 == 0 ? _bound(limit, 0, 9) : limit;
        uint256[] memory ids = _refineMany(count);
        uint256[] memory page = registry.refinedFiles(refinerId, offset, limit);
        uint256 expected = offset >= count ? 0 : (count - offset < limit ? count - offset : limit);
        vm.assertEq(page.length, expected, "page length");
        for (uint256 i = 0; i < page.length; i++) {
            vm.assertEq(page[i], ids[offset + i], "element");
        }
    }

    function _refineMany(uint256 count) internal returns (uint256[] memory ids) {
        ids = new uint256[](count);
        for (uint256 i = 0; i < count; i++) {
            ids[i] = _refinedFile(i % 2 == 0 ? alice : bob, string.concat("ipfs://f", Strings.toString(i)), refinerId);
        }
    }
}
