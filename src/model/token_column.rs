//! The columns of the tokens table, named here so that the app, the layout and the screen depend
//! on them one way.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenColumn {
    Symbol,
    Name,
    Price,
    Change,
    Volume,
    MarketCap,
    Bid,
    Ask,
    Supply,
}

impl TokenColumn {
    /// In the order of the table and of the digit keys 1–9.
    pub const ALL: [Self; 9] = [
        Self::Symbol,
        Self::Name,
        Self::Price,
        Self::Change,
        Self::Volume,
        Self::MarketCap,
        Self::Bid,
        Self::Ask,
        Self::Supply,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Symbol => "Symbol",
            Self::Name => "Name",
            Self::Price => "Price HIVE",
            Self::Change => "24h %",
            Self::Volume => "Volume 24h",
            Self::MarketCap => "Market cap",
            Self::Bid => "Bid",
            Self::Ask => "Ask",
            Self::Supply => "Supply",
        }
    }
}
