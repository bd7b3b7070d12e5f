//! The columns of an account's four tables.

use crate::table::Column;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalletColumn {
    Symbol,
    Balance,
    Stake,
    Unstaking,
    DelegatedIn,
    DelegatedOut,
    Price,
    Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderColumn {
    Symbol,
    Side,
    Price,
    Quantity,
    Value,
    Expires,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareColumn {
    Pair,
    Shares,
    Share,
    Base,
    Quote,
    Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpColumn {
    Time,
    Operation,
    Symbol,
    Quantity,
    Hive,
    Counterparty,
    Memo,
}

impl Column for WalletColumn {
    const COLUMNS: &'static [Self] = &[
        Self::Symbol,
        Self::Balance,
        Self::Stake,
        Self::Unstaking,
        Self::DelegatedIn,
        Self::DelegatedOut,
        Self::Price,
        Self::Value,
    ];
    fn title(self) -> &'static str {
        match self {
            Self::Symbol => "Token",
            Self::Balance => "Balance",
            Self::Stake => "Stake",
            Self::Unstaking => "Unstaking",
            Self::DelegatedIn => "Deleg. in",
            Self::DelegatedOut => "Deleg. out",
            Self::Price => "Price HIVE",
            Self::Value => "Value HIVE",
        }
    }
    fn numeric(self) -> bool {
        self != Self::Symbol
    }
    fn descends_by_default(self) -> bool {
        self.numeric()
    }
}

impl Column for OrderColumn {
    const COLUMNS: &'static [Self] = &[
        Self::Symbol,
        Self::Side,
        Self::Price,
        Self::Quantity,
        Self::Value,
        Self::Expires,
    ];
    fn title(self) -> &'static str {
        match self {
            Self::Symbol => "Token",
            Self::Side => "Side",
            Self::Price => "Price HIVE",
            Self::Quantity => "Quantity",
            Self::Value => "Value HIVE",
            Self::Expires => "Expires",
        }
    }
    fn numeric(self) -> bool {
        !matches!(self, Self::Symbol | Self::Side | Self::Expires)
    }
    fn descends_by_default(self) -> bool {
        self.numeric()
    }
}

impl Column for ShareColumn {
    const COLUMNS: &'static [Self] = &[
        Self::Pair,
        Self::Shares,
        Self::Share,
        Self::Base,
        Self::Quote,
        Self::Value,
    ];
    fn title(self) -> &'static str {
        match self {
            Self::Pair => "Pool",
            Self::Shares => "Shares",
            Self::Share => "% of pool",
            Self::Base => "Base holds",
            Self::Quote => "Quote holds",
            Self::Value => "Value HIVE",
        }
    }
    fn numeric(self) -> bool {
        self != Self::Pair
    }
    fn descends_by_default(self) -> bool {
        self.numeric()
    }
}

impl Column for OpColumn {
    const COLUMNS: &'static [Self] = &[
        Self::Time,
        Self::Operation,
        Self::Symbol,
        Self::Quantity,
        Self::Hive,
        Self::Counterparty,
        Self::Memo,
    ];
    fn title(self) -> &'static str {
        match self {
            Self::Time => "Time UTC",
            Self::Operation => "Operation",
            Self::Symbol => "Token",
            Self::Quantity => "Quantity",
            Self::Hive => "HIVE",
            Self::Counterparty => "With",
            Self::Memo => "Memo",
        }
    }
    fn numeric(self) -> bool {
        matches!(self, Self::Quantity | Self::Hive)
    }
    /// Newest first; amounts biggest first.
    fn descends_by_default(self) -> bool {
        matches!(self, Self::Time | Self::Quantity | Self::Hive)
    }
}
