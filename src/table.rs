//! One sortable table for every list of rows: the sort column and direction, the rows' order,
//! the cursor, which columns fit a width, and which column a header click hits. A view supplies
//! only its column type and how to order its rows; the UI draws any `Table` the same way.

mod cursor;
mod scroll;

pub use cursor::Cursor;
pub use scroll::Scroll;

use ratatui::layout::Rect;

use crate::keymap::Command;

/// The columns of one kind of table.
pub trait Column: Copy + Eq + std::fmt::Debug + 'static {
    /// In table order; the digit keys 1–9 and 0 pick the first ten.
    const COLUMNS: &'static [Self];
    fn title(self) -> &'static str;
    /// Numbers are right-aligned.
    fn numeric(self) -> bool;
    /// A first press of a column sorts it this way (big amounts first, names A–Z).
    fn descends_by_default(self) -> bool;
}

/// Sort state, the order of the rows on screen (indices into the view's data) and the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table<C: Column> {
    pub sort: C,
    pub descending: bool,
    /// Row indices in display order: filtered and sorted.
    pub order: Vec<u32>,
    pub cursor: Cursor,
}

impl<C: Column> Table<C> {
    pub fn new(sort: C) -> Self {
        Self {
            sort,
            descending: sort.descends_by_default(),
            order: Vec::new(),
            cursor: Cursor::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The selected row's index into the view's data.
    pub fn selected(&self) -> Option<u32> {
        self.order.get(self.cursor.selected).copied()
    }

    /// Shows rows in a new `order`, keeping row `keep` selected if it is still there. The view
    /// clamps the cursor to its height afterwards.
    pub fn set_order(&mut self, order: Vec<u32>, keep: Option<u32>) {
        self.order = order;
        if let Some(pos) = keep.and_then(|k| self.order.iter().position(|&i| i == k)) {
            self.cursor.selected = pos;
        }
    }

    /// Sorts by `column`: again on the same column reverses the direction.
    pub fn choose_sort(&mut self, column: C) {
        if self.sort == column {
            self.descending = !self.descending;
        } else {
            self.sort = column;
            self.descending = column.descends_by_default();
        }
    }

    /// The column a digit key picks: 1–9, then 0 for the tenth.
    pub fn digit_column(digit: u8) -> Option<C> {
        let index = if digit == 0 {
            9
        } else {
            usize::from(digit) - 1
        };
        C::COLUMNS.get(index).copied()
    }

    /// Moves the cursor for a movement command; false when the command is not one.
    pub fn navigate(&mut self, command: Command, height: usize) -> bool {
        let len = self.order.len();
        self.cursor.navigate(command, len, height)
    }

    pub fn clamp(&mut self, height: usize) {
        self.cursor.clamp(self.order.len(), height);
    }

    /// A left click at (`x`, `y`) on a table drawn in `area` with `columns`: a header click
    /// sorts by its column, a click on a row selects it.
    pub fn click(&mut self, area: Rect, (x, y): (u16, u16), columns: &[(C, u16)]) {
        if y == area.y {
            if let Some(c) = column_at(columns, x.saturating_sub(area.x)) {
                self.choose_sort(c);
            }
        } else {
            self.cursor.click(area, y, self.order.len(), rows_in(area));
        }
    }
}

/// Data rows a table of this area shows under its header.
pub fn rows_in(table: Rect) -> usize {
    usize::from(table.height.saturating_sub(1))
}

/// The columns that fit `width`, taken by priority (one space between), shown in table order.
pub fn fit<T: Copy>(
    width: u16,
    by_priority: &[(T, u16)],
    table_order: impl Fn(&T) -> usize,
) -> Vec<(T, u16)> {
    let mut used = 0;
    let mut chosen: Vec<(T, u16)> = Vec::new();
    for &(cell, w) in by_priority {
        if used + w < width {
            used += w + 1;
            chosen.push((cell, w));
        }
    }
    chosen.sort_by_key(|(c, _)| table_order(c));
    chosen
}

/// Positions of `rows` ordered by `key`, missing values last both ways, ties in their order.
pub fn order_by<R, K: Ord>(
    rows: &[R],
    descending: bool,
    key: impl Fn(&R) -> Option<K>,
) -> Vec<u32> {
    let mut order: Vec<u32> = (0..u32::try_from(rows.len()).unwrap_or(u32::MAX)).collect();
    let keys: Vec<Option<K>> = rows.iter().map(key).collect();
    order.sort_by(|&a, &b| match (&keys[a as usize], &keys[b as usize]) {
        (Some(x), Some(y)) => {
            let o = x.cmp(y);
            if descending { o.reverse() } else { o }
        }
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    order
}

/// The width of each column (in `C::COLUMNS` order) that holds its title and the widest of
/// `rows` texts, so that no number is ever cut.
pub fn widths<C: Column>(rows: usize, text: impl Fn(C, usize) -> String) -> Vec<u16> {
    C::COLUMNS
        .iter()
        .map(|&c| {
            let widest = (0..rows)
                .map(|i| text(c, i).chars().count())
                .max()
                .unwrap_or(0);
            u16::try_from(widest.max(c.title().chars().count() + 1)).unwrap_or(u16::MAX)
        })
        .collect()
}

/// The columns that fit `width` strictly by priority: one that does not fit leaves out every
/// one after it (a lesser column never takes the place of a wider, more important one), shown
/// in table order.
pub fn fit_strictly<T: Copy>(
    width: u16,
    by_priority: &[(T, u16)],
    table_order: impl Fn(&T) -> usize,
) -> Vec<(T, u16)> {
    let mut used = 0;
    let prefix: Vec<(T, u16)> = by_priority
        .iter()
        .copied()
        .take_while(|&(_, w)| {
            let fits = used + w < width;
            used += w + 1;
            fits
        })
        .collect();
    fit(width, &prefix, table_order)
}

/// Which of `columns` (laid out left to right with one space between) holds `x`.
pub fn column_at<T: Copy>(columns: &[(T, u16)], x: u16) -> Option<T> {
    let mut left = 0;
    for &(c, w) in columns {
        if x >= left && x < left + w + 1 {
            return Some(c);
        }
        left += w + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum Col {
        Name,
        Amount,
    }

    impl Column for Col {
        const COLUMNS: &'static [Self] = &[Self::Name, Self::Amount];
        fn title(self) -> &'static str {
            match self {
                Self::Name => "Name",
                Self::Amount => "Amount",
            }
        }
        fn numeric(self) -> bool {
            self == Self::Amount
        }
        fn descends_by_default(self) -> bool {
            self == Self::Amount
        }
    }

    #[test]
    fn sorting_toggles_and_keeps_the_selected_row() {
        let mut t = Table::new(Col::Name);
        assert!(!t.descending);
        t.set_order(vec![0, 1, 2, 3], None);
        t.navigate(Command::Down, 10);
        t.navigate(Command::Down, 10);
        assert_eq!(t.selected(), Some(2));
        t.choose_sort(Col::Amount);
        assert!(t.descending, "amounts: biggest first");
        t.set_order(vec![2, 3, 0, 1], t.selected());
        assert_eq!((t.selected(), t.cursor.selected), (Some(2), 0));
        t.choose_sort(Col::Amount);
        assert!(!t.descending, "the same column again reverses");
        assert_eq!(Table::<Col>::digit_column(2), Some(Col::Amount));
        assert_eq!(Table::<Col>::digit_column(0), None);
    }

    #[test]
    fn a_click_sorts_by_its_header_or_selects_its_row() {
        let mut t = Table::new(Col::Name);
        t.set_order((0..50).collect(), None);
        let area = Rect::new(0, 3, 40, 10);
        let columns = [(Col::Name, 10), (Col::Amount, 12)];
        t.click(area, (12, 3), &columns);
        assert_eq!((t.sort, t.descending), (Col::Amount, true));
        t.click(area, (1, 6), &columns);
        assert_eq!(t.selected(), Some(2));
    }

    #[test]
    fn narrow_widths_drop_columns_by_priority() {
        let fitted = fit(20, &[(1, 8), (2, 8), (3, 8)], |c| *c);
        assert_eq!(fitted, vec![(1, 8), (2, 8)]);
        let loose = fit(20, &[(1, 8), (2, 12), (3, 4)], |c| *c);
        assert_eq!(
            loose,
            vec![(1, 8), (3, 4)],
            "fit takes a lesser column that fits"
        );
        let strict = fit_strictly(20, &[(1, 8), (2, 12), (3, 4)], |c| *c);
        assert_eq!(
            strict,
            vec![(1, 8)],
            "fit_strictly stops at the first that does not"
        );
        let cols = [(1, 3), (2, 5)];
        assert_eq!(column_at(&cols, 0), Some(1));
        assert_eq!(column_at(&cols, 4), Some(2));
        assert_eq!(column_at(&cols, 40), None);
    }
}
