// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice An ERC-20 anyone may mint, for paying queries in tests. With `feeBps` above zero it burns
///         that share of every transfer between accounts, like a fee-charging token.
contract TestToken is ERC20 {
    uint256 public immutable feeBps;

    /// @param symbol_ the token's name and symbol
    /// @param feeBps_ the share of each transfer burnt, in basis points
    constructor(string memory symbol_, uint256 feeBps_) ERC20(symbol_, symbol_) {
        feeBps = feeBps_;
    }

    /// @notice Creates `amount` tokens for `to`.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (feeBps == 0 || from == address(0) || to == address(0)) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = value * feeBps / 10_000;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}
