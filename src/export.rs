//! Exports from cached data only: tables of exact strings written as CSV or JSON, to a
//! temporary file renamed into place so that a failure never leaves a partial file.

pub mod partial;
mod screen;
pub mod tables;

pub use screen::{ScreenExport, Shown, account_part, file_name};

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// A header and its rows. `next_row` refills one reused row of as many strings as the header
/// has names, and says false after the last row: no allocation per row on long exports.
pub struct Table<'a> {
    pub header: Vec<&'static str>,
    pub next_row: NextRow<'a>,
}

pub type NextRow<'a> = Box<dyn FnMut(&mut Vec<String>) -> bool + 'a>;

impl<'a> Table<'a> {
    /// A table over rows built one by one.
    pub fn from_rows(
        header: Vec<&'static str>,
        mut rows: impl Iterator<Item = Vec<String>> + 'a,
    ) -> Self {
        let next_row = Box::new(move |buf: &mut Vec<String>| match rows.next() {
            Some(row) => {
                *buf = row;
                true
            }
            None => false,
        });
        Self { header, next_row }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

/// Writes `table` as CSV. Text comes without control characters from the table builders; here
/// a cell that a spreadsheet would run as a formula gets its `'` (numbers are left as they
/// are: `-1.5` is a number, not a formula).
pub fn write_csv(out: impl Write, table: Table<'_>) -> io::Result<u64> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(&table.header)?;
    let (mut n, mut row, mut next) = (0, Vec::new(), table.next_row);
    while next(&mut row) {
        for cell in &row {
            if is_number(cell) {
                w.write_field(cell)?;
            } else {
                w.write_field(crate::sanitize::for_csv(cell).as_bytes())?;
            }
        }
        w.write_record(None::<&[u8]>)?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

/// Columns of text in any table; every other column holds numbers.
const TEXT_COLUMNS: &[&str] = &[
    "account",
    "symbol",
    "name",
    "side",
    "time",
    "date",
    "placed",
    "buyer",
    "seller",
    "pair",
    "base",
    "quote",
    "creator",
    "expires",
    "operation",
    "counterparty",
    "memo",
    "transaction",
];

/// An exact decimal as the tables write it: an optional minus, digits, an optional fraction.
fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// Writes `table` as a JSON array of objects with the CSV's keys in the CSV's order. Numbers
/// are JSON numbers written with every digit (no float rounding), a missing figure is `null`.
pub fn write_json(mut out: impl Write, table: Table<'_>) -> io::Result<u64> {
    out.write_all(b"[")?;
    let (mut n, mut row, mut next) = (0, Vec::new(), table.next_row);
    while next(&mut row) {
        out.write_all(if n > 0 { b",\n{" } else { b"\n{" })?;
        for (i, (h, cell)) in table.header.iter().zip(&row).enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut out, h)?;
            out.write_all(b":")?;
            let text = TEXT_COLUMNS.contains(h);
            if !text && is_number(cell) {
                out.write_all(cell.as_bytes())?;
            } else if !text && cell.is_empty() {
                out.write_all(b"null")?;
            } else {
                serde_json::to_writer(&mut out, cell)?;
            }
        }
        out.write_all(b"}")?;
        n += 1;
    }
    out.write_all(b"\n]\n")?;
    out.flush()?;
    Ok(n)
}

pub fn write(format: Format, out: impl Write, table: Table<'_>) -> io::Result<u64> {
    match format {
        Format::Csv => write_csv(out, table),
        Format::Json => write_json(out, table),
    }
}

/// Writes through `fill` into a temporary file beside `path`, then renames it into place.
/// A path that exists and is not a regular file (`/dev/null`, a FIFO, a terminal) is written
/// directly: renaming over it would replace the device with a file.
pub fn atomic_write(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        let mut w = BufWriter::new(std::fs::OpenOptions::new().write(true).open(path)?);
        fill(&mut w)?;
        return w.flush();
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    partial::clear_stale(dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(&partial::prefix())
        .suffix(partial::suffix())
        .tempfile_in(dir)?;
    partial::track(tmp.path());
    let written = fill_temp(&mut tmp, fill);
    partial::untrack(tmp.path());
    written?;
    // No fsync: the rename already keeps a failed write (disk full, folder gone) from leaving a
    // partial file, which is the promise; surviving power loss is not worth ~100 ms per export.
    // Temporary files are private (0600); an export is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn fill_temp(
    tmp: &mut tempfile::NamedTempFile,
    fill: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    let mut w = BufWriter::new(tmp.as_file_mut().try_clone()?);
    if let Some(ms) = pause_for_test() {
        // Lets the CLI tests stop an export mid-write, deterministically.
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    fill(&mut w)?;
    w.flush()
}

fn pause_for_test() -> Option<u64> {
    std::env::var("MARKET_TUI_EXPORT_PAUSE_MS_FOR_TEST")
        .ok()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn table() -> Table<'static> {
        Table::from_rows(
            vec!["a", "b"],
            vec![vec!["1".into(), "x,y".into()]].into_iter(),
        )
    }

    #[test]
    fn csv_and_json_shapes() {
        let mut csv = Vec::new();
        assert_eq!(write_csv(&mut csv, table()).unwrap(), 1);
        assert_eq!(String::from_utf8(csv).unwrap(), "a,b\n1,\"x,y\"\n");
        let mut json = Vec::new();
        write_json(&mut json, table()).unwrap();
        let v: Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v[0]["b"], "x,y");
        assert_eq!(v[0]["a"], 1, "a number is a number");
        let mut typed = Vec::new();
        let rows = vec![vec![
            "1".into(),
            "alice".into(),
            "12.34567890123456789".into(),
            String::new(),
        ]];
        let t = Table::from_rows(
            vec!["rank", "account", "balance", "market_cap"],
            rows.into_iter(),
        );
        write_json(&mut typed, t).unwrap();
        assert_eq!(
            String::from_utf8(typed).unwrap(),
            "[\n{\"rank\":1,\"account\":\"alice\",\"balance\":12.34567890123456789,\"market_cap\":null}\n]\n",
            "the CSV's order, every digit, null for a missing figure"
        );
    }

    #[test]
    fn the_formula_guard_is_for_csv_only() {
        let t = || {
            Table::from_rows(
                vec!["memo", "amount", "account"],
                vec![vec![
                    "=HYPERLINK(\"http://x\")".into(),
                    "-1.50".into(),
                    "-bad".into(),
                ]]
                .into_iter(),
            )
        };
        let mut csv = Vec::new();
        write_csv(&mut csv, t()).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "memo,amount,account\n\"'=HYPERLINK(\"\"http://x\"\")\",-1.50,'-bad\n",
            "a formula is neutralized in CSV, a negative number is a number"
        );
        let mut json = Vec::new();
        write_json(&mut json, t()).unwrap();
        let v: Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(
            v[0]["memo"], "=HYPERLINK(\"http://x\")",
            "JSON carries it as it is"
        );
        assert_eq!(v[0]["account"], "-bad");
        assert_eq!(v[0]["amount"], -1.5);
    }

    #[test]
    fn a_failed_write_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let err = atomic_write(&path, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("disk full"))
        });
        assert!(err.is_err());
        assert!(!path.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "no temporary file left"
        );
        let missing = dir.path().join("no/such/dir/out.csv");
        assert!(atomic_write(&missing, |_| Ok(())).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_device_or_fifo_is_written_in_place_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        atomic_write(&fifo, |w| w.write_all(b"rows\n")).unwrap();
        assert_eq!(reader.join().unwrap(), b"rows\n");
        assert!(
            std::fs::metadata(&fifo).unwrap().file_type().is_fifo(),
            "still a FIFO"
        );
    }
}
