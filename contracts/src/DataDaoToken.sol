// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title DataDaoToken
/// @notice A DataDAO's reward token: a fixed supply minted once, at creation.
contract DataDaoToken is ERC20 {
    /// @param name_ the token's name
    /// @param symbol_ the token's symbol
    /// @param holder who receives the whole supply
    /// @param supply the fixed supply, in the smallest unit (18 decimals)
    constructor(string memory name_, string memory symbol_, address holder, uint256 supply) ERC20(name_, symbol_) {
        _mint(holder, supply);
    }
}
